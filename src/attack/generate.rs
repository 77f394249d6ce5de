//! Builds the compact `rules-db/attack/` files from MITRE's bundles.
//!
//! The output is deterministic (sorted; the version tables are JSON Lines, one technique
//! per line) so that a test can
//! regenerate it and compare byte for byte with what is committed.

use super::model::{TextTable, VersionHeader, VersionTable};
use super::stix;
use crate::generated::{line, push_lines};
use std::path::Path;

/// Full bundles, oldest first. Their text is only kept for the newest of them.
pub const BUNDLES: &[(&str, &str)] = &[
    ("9.0", "enterprise-attack-9.0.json"),
    ("13.1", "enterprise-attack-13.1.json"),
    ("18.1", "enterprise-attack-18.1.json"),
];
/// The newest version, available only as a field extract.
pub const EXTRACT: (&str, &str) = ("19.2", "enterprise-attack-19.2-extract.json");

/// Every generated file: (file name inside `rules-db/attack/`, contents).
pub fn generate(attack_dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut newest_text: Option<TextTable> = None;
    for (version, file) in BUNDLES {
        let path = attack_dir.join(file);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let imported = stix::import_bundle(
            &bytes,
            version,
            &format!("mitre/cti ATT&CK-v{version} ({file})"),
        )
        .map_err(|e| e.to_string())?;
        out.push((
            format!("compact-v{version}.jsonl"),
            render_version(&imported.table),
        ));
        newest_text = Some(imported.text);
    }
    let (version, file) = EXTRACT;
    let path = attack_dir.join(file);
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let table = stix::import_extract(&bytes, file).map_err(|e| e.to_string())?;
    if table.version != version {
        return Err(format!(
            "{file} says version {}, expected {version}",
            table.version
        ));
    }
    out.push((format!("compact-v{version}.jsonl"), render_version(&table)));
    if let Some(text) = newest_text {
        out.push((format!("text-v{}.json", text.version), render_text(&text)));
    }
    Ok(out)
}

/// JSON Lines: a [`VersionHeader`] line, then one technique per line in the header's order.
fn render_version(table: &VersionTable) -> String {
    let header = VersionHeader {
        version: table.version.clone(),
        source: table.source.clone(),
        tactics: table.tactics.clone(),
        ids: table.techniques.iter().map(|t| t.id.as_str()).collect(),
    };
    let mut s = line(&header);
    for t in &table.techniques {
        s.push('\n');
        s.push_str(&line(t));
    }
    s.push('\n');
    s
}

fn render_text(table: &TextTable) -> String {
    let mut s = String::new();
    s.push_str("{\"version\":");
    s.push_str(&line(&table.version));
    s.push_str(",\"source\":");
    s.push_str(&line(&table.source));
    s.push_str(",\n\"techniques\":[\n");
    push_lines(&mut s, &table.techniques);
    s.push_str("],\n\"groups\":[\n");
    push_lines(&mut s, &table.groups);
    s.push_str("],\n\"software\":[\n");
    push_lines(&mut s, &table.software);
    s.push_str("]}\n");
    s
}
