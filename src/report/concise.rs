//! `file:line:col: CODE [*] message`, one line per finding (ruff's concise format).

use super::{display_path, summary_line, Finding};
use crate::checks::Applicability;
use crate::lint::Summary;

pub fn render(findings: &[Finding], summary: &Summary) -> String {
    let mut out = String::new();
    for f in findings {
        let marker = match f.fix {
            Some(x) if x.applicability == Applicability::Safe && !x.edits.is_empty() => "[*] ",
            _ => "",
        };
        out.push_str(&format!(
            "{}:{}:{}: {} {}{} [{}]\n",
            display_path(f.path),
            f.start.line,
            f.start.column,
            f.code,
            marker,
            f.message,
            f.severity.as_str()
        ));
    }
    out.push_str(&summary_line(findings, summary));
    out.push('\n');
    out
}
