//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation each.

use super::{display_path, Finding};
use crate::checks::Severity;

/// Workflow command properties escape `%`, CR, LF, `:` and `,`; messages the first three.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        out.push_str(&format!(
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&display_path(f.path)),
            f.start.line,
            f.start.column,
            f.end.line,
            f.end.column,
            escape_property(&format!("{} {}", f.code, f.name)),
            escape_data(&f.message)
        ));
    }
    out
}
