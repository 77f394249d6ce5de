//! SARIF 2.1.0, as GitHub code scanning reads it.

use super::{display_path, Finding};
use crate::checks::registry::all_infos;
use crate::checks::Severity;
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(findings: &[Finding]) -> String {
    let infos = all_infos();
    let rules: Vec<Value> = infos
        .iter()
        .map(|i| {
            json!({
                "id": i.code,
                "name": i.name,
                "shortDescription": {"text": i.summary},
                "defaultConfiguration": {"level": level(i.severity)},
                "helpUri": format!("https://github.com/wazuh-mitre/wazuh-mitre#{}", i.name),
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": infos.iter().position(|i| i.code == f.code).unwrap_or(0),
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": display_path(f.path)},
                        "region": {
                            "startLine": f.start.line,
                            "startColumn": f.start.column,
                            "endLine": f.end.line,
                            "endColumn": f.end.column.max(if f.end.line == f.start.line { f.start.column } else { 1 }),
                        }
                    }
                }],
            });
            if let Some(fix) = f.fix {
                result["properties"] = json!({"fix": fix.description, "applicability": fix.applicability.as_str()});
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "wazuh-mitre",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/wazuh-mitre/wazuh-mitre",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    s.push('\n');
    s
}
