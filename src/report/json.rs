//! The stable JSON contract of `lint --format json` (version 1; see the README).

use super::{display_path, Finding};
use crate::lint::Summary;
use serde_json::{json, Value};

pub fn render(findings: &[Finding], summary: &Summary, attack_version: &str) -> String {
    let diagnostics: Vec<Value> = findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code,
                "name": f.name,
                "severity": f.severity.as_str(),
                "file": display_path(f.path),
                "line": f.start.line,
                "column": f.start.column,
                "end_line": f.end.line,
                "end_column": f.end.column,
                "rule_id": f.rule_id,
                "message": f.message,
                "fix": f.fix.map(|x| json!({
                    "applicability": x.applicability.as_str(),
                    "description": x.description,
                })),
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "attack_version": attack_version,
        "diagnostics": diagnostics,
        "summary": {
            "files": summary.files,
            "rules": summary.rules,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
        },
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    s.push('\n');
    s
}
