//! The stable JSON contract of `lint --format json` (version 1; see the README).
//! The types below are the contract: fields may be added, never renamed or removed.

use super::{shown_path, Finding, StreamedSeq};
use crate::lint::Summary;
use serde::Serialize;

#[derive(Serialize)]
#[serde(bound = "")]
struct Report<'v, 'a, I: Iterator<Item = Finding<'a>>> {
    version: u32,
    attack_version: &'v str,
    /// Each finding turned into its JSON form only as it is written.
    diagnostics: StreamedSeq<JsonFindings<'a, I>>,
    summary: JsonSummary,
}

type JsonFindings<'a, I> = std::iter::Map<I, fn(Finding<'a>) -> AsJson<'a>>;

/// One finding in its JSON form.
struct AsJson<'a>(Finding<'a>);

impl Serialize for AsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        JsonDiagnostic::of(&self.0).serialize(s)
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    file: std::borrow::Cow<'a, str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule_id: Option<u32>,
    message: &'a str,
    fix: Option<JsonFix<'a>>,
}

impl<'a> JsonDiagnostic<'a> {
    fn of(f: &'a Finding<'a>) -> Self {
        JsonDiagnostic {
            code: f.code,
            name: f.name,
            severity: f.severity.as_str(),
            file: shown_path(f.path),
            line: f.start.line,
            column: f.start.column,
            end_line: f.end.line,
            end_column: f.end.column,
            rule_id: f.rule_id,
            message: &f.message,
            fix: f.fix.map(|x| JsonFix {
                applicability: x.applicability.as_str(),
                description: &x.description,
            }),
        }
    }
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    rules: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// Writes the report as it is serialised: no copy of the whole text in memory (a file of
/// 300,000 rules has a quarter of a gigabyte of findings).
pub fn write<'a>(
    out: &mut dyn std::io::Write,
    findings: impl Iterator<Item = Finding<'a>>,
    summary: &Summary,
    attack_version: &str,
) -> std::io::Result<()> {
    let report = Report {
        version: 1,
        attack_version,
        diagnostics: StreamedSeq::new(findings.map(AsJson as fn(_) -> _)),
        summary: JsonSummary {
            files: summary.files,
            rules: summary.rules,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        },
    };
    crate::report::write_json_pretty(out, &report)
}
