//! The stable JSON contract of `lint --format json` (version 1; see docs/integrations.md).
//! The types below are the contract: fields may be added, never renamed or removed.

use super::{shown_path, write_json_pretty, Finding, StreamedSeq};
use crate::lint::Summary;
use serde::Serialize;
use std::borrow::Cow;
use std::path::Path;

/// The whole report. Its findings are turned into their JSON form only as they are
/// written: no copy of the whole text in memory (a file of 300,000 rules has a quarter of
/// a gigabyte of findings).
#[derive(Serialize)]
#[serde(bound = "")]
struct Report<'v, 'a, I: Iterator<Item = Finding<'a>>> {
    version: u32,
    attack_version: &'v str,
    diagnostics: StreamedSeq<AsJson<'a, I>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    file: Cow<'a, str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule_id: Option<u32>,
    message: Cow<'a, str>,
    fix: Option<JsonFix<'a>>,
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

/// Findings in their JSON form. They come file by file, so each file's shown path is
/// made once, not once per finding.
struct AsJson<'a, I> {
    findings: I,
    shown: Option<(&'a Path, Cow<'a, str>)>,
}

impl<'a, I: Iterator<Item = Finding<'a>>> Iterator for AsJson<'a, I> {
    type Item = JsonDiagnostic<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let f = self.findings.next()?;
        let file = match &self.shown {
            Some((path, file)) if std::ptr::eq(*path, f.path) => file.clone(),
            _ => self.shown.insert((f.path, shown_path(f.path))).1.clone(),
        };
        Some(JsonDiagnostic {
            code: f.code,
            name: f.name,
            severity: f.severity.as_str(),
            file,
            line: f.start.line,
            column: f.start.column,
            end_line: f.end.line,
            end_column: f.end.column,
            rule_id: f.rule_id,
            message: f.message,
            fix: f.fix.map(|x| JsonFix {
                applicability: x.applicability.as_str(),
                description: &x.description,
            }),
        })
    }
}

/// Writes the report as serde_json's pretty printer makes it, finding by finding.
pub fn write<'a>(
    out: &mut dyn std::io::Write,
    findings: impl Iterator<Item = Finding<'a>>,
    summary: &Summary,
    attack_version: &str,
) -> std::io::Result<()> {
    let report = Report {
        version: 1,
        attack_version,
        diagnostics: StreamedSeq::new(AsJson {
            findings,
            shown: None,
        }),
        summary: JsonSummary::of(summary),
    };
    write_json_pretty(out, &report)
}

impl JsonSummary {
    fn of(summary: &Summary) -> Self {
        JsonSummary {
            files: summary.files,
            rules: summary.rules,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        }
    }
}
