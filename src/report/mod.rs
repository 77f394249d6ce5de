//! Renderers: the only code that knows about output formats and terminals.
//!
//! Lint findings go through [`Finding`], one flat record with its path, text and line/column
//! already resolved, so each renderer is a small function of a slice of findings.

pub mod attack;
pub mod concise;
pub mod coverage;
pub mod diff;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod rdjson;
pub mod sarif;
pub mod suggestions;

use crate::checks::registry::UNREADABLE_FILE;
use crate::checks::{Diagnostic, Fix, Severity};
use crate::lint::Summary;
use crate::project::Project;
pub use crate::ruleset::paths::{display_path, shown_path};
use crate::ruleset::{LineCol, Span};
use std::borrow::Cow;
use std::path::Path;

/// A JSON array written from an iterator as it yields: what it lists is made one item at a
/// time and never held together (a report of 300,000 rules). Serialised once; a second
/// time writes an empty array.
pub struct StreamedSeq<I>(std::cell::RefCell<Option<I>>);

impl<I> StreamedSeq<I> {
    pub fn new(items: I) -> Self {
        StreamedSeq(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator> serde::Serialize for StreamedSeq<I>
where
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.borrow_mut().take().into_iter().flatten())
    }
}

/// `value` as pretty JSON and a final newline. The serialiser writes a few bytes at a time:
/// through a buffer of a known type those writes are inlined copies, not a call each into
/// the caller's `dyn Write` (a third of a whole-ruleset lint's output time).
pub fn write_json_pretty(
    out: &mut dyn std::io::Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// Output formats of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
    /// Reviewdog Diagnostic Format, one result object.
    Rdjson,
    /// Reviewdog Diagnostic Format, one diagnostic per line.
    Rdjsonl,
}

/// One finding, ready to render.
#[derive(Debug, Clone)]
pub struct Finding<'a> {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub path: &'a Path,
    /// The file's text ("" when the file could not be read).
    pub text: &'a str,
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
    pub rule_id: Option<u32>,
    pub message: Cow<'a, str>,
    pub fix: Option<&'a Fix>,
}

/// Read failures first (they stop nothing else), then diagnostics in file order.
pub fn findings<'a>(project: &'a Project, diagnostics: &'a [Diagnostic]) -> Vec<Finding<'a>> {
    each_finding(project, diagnostics).collect()
}

/// [`findings`], made one at a time as they are used: a renderer that writes as it goes
/// holds none of them.
pub fn each_finding<'a>(
    project: &'a Project,
    diagnostics: &'a [Diagnostic],
) -> impl Iterator<Item = Finding<'a>> + 'a {
    let failures = project.ws.failures.iter().enumerate().map(|(i, f)| {
        let (text, start) = match (&f.source, f.error.offset()) {
            (Some(src), Some(at)) => (src.text.as_str(), src.lines.line_col(&src.text, at)),
            (Some(src), None) => (src.text.as_str(), LineCol { line: 1, column: 1 }),
            _ => ("", LineCol { line: 1, column: 1 }),
        };
        let at = f.error.offset().unwrap_or(0);
        Finding {
            code: UNREADABLE_FILE.code,
            name: UNREADABLE_FILE.name,
            severity: Severity::Error,
            path: &f.path,
            text,
            span: Span::new(at, at),
            start,
            end: start,
            rule_id: None,
            message: Cow::Owned(f.error.to_string()),
            fix: project.failure_fixes.get(i).and_then(Option::as_ref),
        }
    });
    let found = diagnostics.iter().map(|d| {
        let src = &project.ws.files[d.file].file.source;
        Finding {
            code: d.code(),
            name: d.name(),
            severity: d.severity,
            path: &src.path,
            text: &src.text,
            span: d.span,
            start: src.lines.line_col(&src.text, d.span.start()),
            end: src.lines.line_col(&src.text, d.span.end()),
            rule_id: d.rule_id,
            message: Cow::Borrowed(&d.message),
            fix: d.fix.as_deref(),
        }
    });
    failures.chain(found)
}

/// Writes the findings of `diagnostics` in `format` to `out`. `color` only matters for
/// `human`.
pub fn render_to(
    out: &mut dyn std::io::Write,
    format: Format,
    project: &Project,
    diagnostics: &[Diagnostic],
    summary: &Summary,
    color: bool,
) -> std::io::Result<()> {
    let version = &project.attack_version;
    let text = match format {
        // Written as serialised, each finding made as it is written: the largest output,
        // and the one CI keeps.
        Format::Json => {
            return json::write(out, each_finding(project, diagnostics), summary, version)
        }
        _ => render(
            format,
            &findings(project, diagnostics),
            summary,
            version,
            color,
        ),
    };
    out.write_all(text.as_bytes())
}

/// Renders lint findings in `format`. `color` only matters for `human`.
pub fn render(
    format: Format,
    findings: &[Finding],
    summary: &Summary,
    attack_version: &str,
    color: bool,
) -> String {
    match format {
        Format::Human => human::render(findings, summary, color),
        Format::Concise => concise::render(findings, summary),
        Format::Json => {
            let mut out = Vec::new();
            json::write(&mut out, findings.iter().cloned(), summary, attack_version)
                .expect("writing to memory does not fail");
            String::from_utf8(out).expect("JSON is UTF-8")
        }
        Format::Sarif => sarif::render(findings),
        Format::Github => github::render(findings),
        Format::Junit => junit::render(findings, summary),
        Format::Rdjson => rdjson::lint(findings, false),
        Format::Rdjsonl => rdjson::lint(findings, true),
    }
}

/// "1 rule", "2 rules": a count that agrees with its noun.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A check's page: its section of the rules reference (docs/rules.md, generated from the
/// check's doc comment; its headings are the check names).
pub fn check_url(name: &str) -> String {
    format!("https://github.com/wazuh-mitre/wazuh-mitre/blob/main/docs/rules.md#{name}")
}

fn fixable_count(findings: &[Finding]) -> (usize, usize) {
    use crate::checks::Applicability::*;
    let safe = findings
        .iter()
        .filter(|f| {
            f.fix
                .is_some_and(|x| x.applicability == Safe && !x.edits.is_empty())
        })
        .count();
    let unsafe_ = findings
        .iter()
        .filter(|f| {
            f.fix
                .is_some_and(|x| x.applicability == Unsafe && !x.edits.is_empty())
        })
        .count();
    (safe, unsafe_)
}

/// "Found 3 errors, 2 warnings and 1 info in 1 file (12 rules)." plus the fix hint.
pub fn summary_line(findings: &[Finding], s: &Summary) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = if s.errors + s.warnings + s.infos == 0 {
        format!(
            "All checks passed: {} in {}.",
            plural(s.rules, "rule", "rules"),
            plural(s.files, "file", "files")
        )
    } else {
        format!(
            "Found {}, {} and {} in {} ({}).",
            plural(s.errors, "error", "errors"),
            plural(s.warnings, "warning", "warnings"),
            plural(s.infos, "info", "infos"),
            plural(s.files, "file", "files"),
            plural(s.rules, "rule", "rules")
        )
    };
    let (safe, unsafe_) = fixable_count(findings);
    if safe > 0 {
        line.push_str(&format!(
            "\n[*] {safe} fixable with `wazuh-mitre fix --write`."
        ));
    }
    if unsafe_ > 0 {
        line.push_str(&format!(
            "\n{unsafe_} more fixable with `wazuh-mitre fix --write --unsafe-fixes`."
        ));
    }
    line
}
