//! SARIF 2.1.0, as GitHub code scanning reads it.

use super::{display_path, Finding};
use crate::checks::registry::all_infos;
use crate::checks::Severity;
use serde::Serialize;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// Our columns count characters (Unicode code points), not UTF-16 units.
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text<'static>,
    default_configuration: Level,
    help_uri: String,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
    /// The fix as SARIF viewers apply it (safe and unsafe fixes with edits).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text<'a>,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: Artifact,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Text<'a>,
}

/// Where a byte range stands, in the run's columns (characters).
fn region(
    text: &str,
    lines: &crate::ruleset::span::LineIndex,
    span: crate::ruleset::Span,
) -> Region {
    let a = lines.line_col(text, span.start());
    let b = lines.line_col(text, span.end());
    Region {
        start_line: a.line,
        start_column: a.column,
        end_line: b.line,
        end_column: b.column,
    }
}

fn fixes<'a>(f: &'a Finding) -> Vec<SarifFix<'a>> {
    let Some(fix) = f.fix.filter(|x| !x.edits.is_empty()) else {
        return Vec::new();
    };
    let lines = crate::ruleset::span::LineIndex::new(f.text);
    vec![SarifFix {
        description: Text {
            text: &fix.description,
        },
        artifact_changes: [ArtifactChange {
            artifact_location: Artifact {
                uri: display_path(f.path),
            },
            replacements: fix
                .edits
                .iter()
                .map(|e| Replacement {
                    deleted_region: region(f.text, &lines, e.span),
                    inserted_content: Text {
                        text: &e.replacement,
                    },
                })
                .collect(),
        }],
    }]
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Properties<'a> {
    fix: &'a str,
    applicability: &'static str,
}

pub fn render(findings: &[Finding]) -> String {
    let infos = all_infos();
    let rules = infos
        .iter()
        .map(|i| Rule {
            id: i.code,
            name: i.name,
            short_description: Text { text: i.summary },
            default_configuration: Level {
                level: level(i.severity),
            },
            help_uri: super::check_url(i.name),
        })
        .collect();
    let results = findings
        .iter()
        .map(|f| SarifResult {
            rule_id: f.code,
            rule_index: infos.iter().position(|i| i.code == f.code).unwrap_or(0),
            level: level(f.severity),
            message: Text { text: &f.message },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: Artifact {
                        uri: display_path(f.path),
                    },
                    region: Region {
                        start_line: f.start.line,
                        start_column: f.start.column,
                        end_line: f.end.line,
                        // SARIF regions may not end before they start.
                        end_column: if f.end.line == f.start.line {
                            f.end.column.max(f.start.column)
                        } else {
                            f.end.column
                        },
                    },
                },
            }],
            properties: f.fix.map(|fix| Properties {
                fix: &fix.description,
                applicability: fix.applicability.as_str(),
            }),
            fixes: fixes(f),
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "wazuh-mitre",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/wazuh-mitre/wazuh-mitre",
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).expect("plain data serialises");
    s.push('\n');
    s
}
