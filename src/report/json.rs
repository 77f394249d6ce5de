//! The stable JSON contract of `lint --format json` (version 1; see the README).
//! The types below are the contract: fields may be added, never renamed or removed.

use super::{display_path, Finding};
use crate::lint::Summary;
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    attack_version: &'a str,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule_id: Option<u32>,
    message: &'a str,
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

pub fn render(findings: &[Finding], summary: &Summary, attack_version: &str) -> String {
    let report = Report {
        version: 1,
        attack_version,
        diagnostics: findings
            .iter()
            .map(|f| JsonDiagnostic {
                code: f.code,
                name: f.name,
                severity: f.severity.as_str(),
                file: display_path(f.path),
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
            })
            .collect(),
        summary: JsonSummary {
            files: summary.files,
            rules: summary.rules,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        },
    };
    let mut s = serde_json::to_string_pretty(&report).expect("plain data serialises");
    s.push('\n');
    s
}
