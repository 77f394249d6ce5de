//! The stable JSON contract of `lint --format json` (version 1; see the README).
//! The types below are the contract: fields may be added, never renamed or removed.

#[cfg(test)]
use super::StreamedSeq;
use super::{shown_path, Finding};
use crate::lint::Summary;
use serde::Serialize;

/// The report as one serde value: the contract [`write`] writes, byte for byte.
#[cfg(test)]
#[derive(Serialize)]
#[serde(bound = "")]
struct Report<'v, 'a, I: Iterator<Item = Finding<'a>>> {
    version: u32,
    attack_version: &'v str,
    /// Each finding turned into its JSON form only as it is written.
    diagnostics: StreamedSeq<JsonFindings<'a, I>>,
    summary: JsonSummary,
}

#[cfg(test)]
type JsonFindings<'a, I> = std::iter::Map<I, fn(Finding<'a>) -> AsJson<'a>>;

/// One finding in its JSON form.
#[cfg(test)]
struct AsJson<'a>(Finding<'a>);

#[cfg(test)]
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
    #[cfg(test)]
    fn of(f: &'a Finding<'a>) -> Self {
        Self::with_file(f, shown_path(f.path))
    }

    /// `file`: `f.path` as shown.
    fn with_file(f: &'a Finding<'a>, file: std::borrow::Cow<'a, str>) -> Self {
        JsonDiagnostic {
            code: f.code,
            name: f.name,
            severity: f.severity.as_str(),
            file,
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
///
/// The text is exactly what serde_json's pretty printer makes of [`Report`] (a test holds
/// the two to each other), but each finding is written by [`write_finding`], whose keys
/// and layout are fixed bytes: the generic printer escapes every key and indents field by
/// field, and the findings are nearly all of the report.
pub fn write<'a>(
    out: &mut dyn std::io::Write,
    findings: impl Iterator<Item = Finding<'a>>,
    summary: &Summary,
    attack_version: &str,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, out);
    w.write_all(b"{\n  \"version\": 1,\n  \"attack_version\": ")?;
    serde_json::to_writer(&mut w, attack_version)?;
    w.write_all(b",\n  \"diagnostics\": [")?;
    let mut any = false;
    // Findings come file by file: each file's path is made shown once.
    let mut shown: Option<(&std::path::Path, std::borrow::Cow<str>)> = None;
    for f in findings {
        let file = match &shown {
            Some((path, file)) if std::ptr::eq(*path, f.path) => file.clone(),
            _ => shown.insert((f.path, shown_path(f.path))).1.clone(),
        };
        w.write_all(if any { b",\n    " } else { b"\n    " })?;
        write_finding(&mut w, &JsonDiagnostic::with_file(&f, file))?;
        any = true;
    }
    w.write_all(if any { b"\n  ]" } else { b"]" })?;
    w.write_all(b",\n  \"summary\": ")?;
    let summary = serde_json::to_vec_pretty(&JsonSummary::of(summary))?;
    // One level deeper: every newline of pretty JSON is layout (strings escape theirs).
    for (i, line) in summary.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            w.write_all(b"\n  ")?;
        }
        w.write_all(line)?;
    }
    w.write_all(b"\n}\n")?;
    w.flush()
}

/// One finding as an item of the report's array (its object at depth two).
fn write_finding(w: &mut impl std::io::Write, d: &JsonDiagnostic) -> std::io::Result<()> {
    // Strings and numbers go through serde_json, so their escaping is its own.
    let string = |w: &mut _, key: &[u8], value: &str| -> std::io::Result<()> {
        std::io::Write::write_all(w, key)?;
        serde_json::to_writer(w, value).map_err(std::io::Error::from)
    };
    string(w, b"{\n      \"code\": ", d.code)?;
    string(w, b",\n      \"name\": ", d.name)?;
    string(w, b",\n      \"severity\": ", d.severity)?;
    string(w, b",\n      \"file\": ", &d.file)?;
    for (key, n) in [
        (&b",\n      \"line\": "[..], d.line),
        (b",\n      \"column\": ", d.column),
        (b",\n      \"end_line\": ", d.end_line),
        (b",\n      \"end_column\": ", d.end_column),
    ] {
        w.write_all(key)?;
        serde_json::to_writer(&mut *w, &n)?;
    }
    w.write_all(b",\n      \"rule_id\": ")?;
    serde_json::to_writer(&mut *w, &d.rule_id)?;
    string(w, b",\n      \"message\": ", d.message)?;
    match &d.fix {
        Some(fix) => {
            string(
                w,
                b",\n      \"fix\": {\n        \"applicability\": ",
                fix.applicability,
            )?;
            string(w, b",\n        \"description\": ", fix.description)?;
            w.write_all(b"\n      }\n    }")
        }
        None => w.write_all(b",\n      \"fix\": null\n    }"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::registry::Selection;
    use crate::project::{LoadOptions, Project};
    use crate::report::{each_finding, StreamedSeq};
    use std::path::PathBuf;

    /// The report as serde_json itself writes the whole of [`Report`]: the reference
    /// [`write`] must match byte for byte.
    fn serde_whole<'a>(
        findings: impl Iterator<Item = Finding<'a>>,
        summary: &Summary,
        attack_version: &str,
    ) -> String {
        let report = Report {
            version: 1,
            attack_version,
            diagnostics: StreamedSeq::new(findings.map(AsJson as fn(_) -> _)),
            summary: JsonSummary::of(summary),
        };
        serde_json::to_string_pretty(&report).unwrap() + "\n"
    }

    fn written<'a>(
        findings: impl Iterator<Item = Finding<'a>>,
        summary: &Summary,
        attack_version: &str,
    ) -> String {
        let mut out = Vec::new();
        write(&mut out, findings, summary, attack_version).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_report_is_what_serde_json_makes_of_it() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let cases = [
            // Over 7,000 findings, with and without fixes, rule ids and none.
            vec![root.join("../shared/corpus/wazuh-4.14.7/rules")],
            // Unreadable files, odd paths, and messages quoting XML and non-ASCII text.
            vec![
                root.join("../shared/corpus/community"),
                root.join("tests/fixtures"),
            ],
        ];
        for paths in cases {
            let opts = LoadOptions {
                paths: paths.clone(),
                no_default_ruleset: true,
                ..LoadOptions::default()
            };
            let project = Project::load(&opts, Default::default()).unwrap();
            let diagnostics = project.lint(&Selection::default(), None);
            let summary = Summary::of(&project, &diagnostics);
            let findings = || each_finding(&project, &diagnostics);
            assert!(findings().any(|f| f.fix.is_some()) && findings().any(|f| f.fix.is_none()));
            assert_eq!(
                written(findings(), &summary, "19.2"),
                serde_whole(findings(), &summary, "19.2"),
                "{paths:?}"
            );
        }
        // No finding: an empty array on one line; a version that needs escaping.
        let summary = Summary::default();
        assert_eq!(
            written(std::iter::empty(), &summary, "13\"1"),
            serde_whole(std::iter::empty(), &summary, "13\"1")
        );
    }
}
