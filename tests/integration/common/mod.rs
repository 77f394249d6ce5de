//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` from the repository root, when it is there.
///
/// Tests over the real rulesets call this and return early with a printed notice when it is
/// missing (a user's clone has no `../shared`). `.ci/run` sets `WAZUH_MITRE_REQUIRE_SHARED=1`
/// so CI fails instead of skipping silently.
pub fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join("corpus").is_dir() && dir.join("attack").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("WAZUH_MITRE_REQUIRE_SHARED").is_some() {
        panic!("../shared is required (WAZUH_MITRE_REQUIRE_SHARED is set) but missing");
    }
    eprintln!("notice: ../shared not found; skipping a test over the real rulesets");
    None
}

pub fn stock_rules() -> Option<PathBuf> {
    shared().map(|s| s.join("corpus/wazuh-4.14.7/rules"))
}

/// The real rulesets of `../shared`: the stock one, then the community ones.
pub fn real_rulesets() -> Option<Vec<PathBuf>> {
    shared().map(|s| {
        vec![
            s.join("corpus/wazuh-4.14.7/rules"),
            s.join("corpus/community"),
        ]
    })
}

/// A file of `../shared/attack` (a STIX bundle, or the 19.2 extract) as JSON: read here,
/// independently of the tool's own importer. Call after `shared()` said it is there.
pub fn attack_json(file: &str) -> serde_json::Value {
    let path = shared()
        .expect("../shared is there: the caller asked first")
        .join("attack")
        .join(file);
    serde_json::from_slice(&std::fs::read(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A technique of a STIX bundle of `../shared/attack`, read here.
pub struct StixTechnique {
    pub id: String,
    pub name: String,
    /// Neither revoked nor deprecated.
    pub active: bool,
    /// `x_mitre_detection`, where the version has it.
    pub detection: String,
}

/// Every technique (attack-pattern with an ATT&CK id) of a STIX bundle of `../shared/attack`.
pub fn stix_techniques(file: &str) -> Vec<StixTechnique> {
    let v = attack_json(file);
    v["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == "attack-pattern")
        .filter_map(|o| {
            let id = o["external_references"]
                .as_array()?
                .iter()
                .find(|r| r["source_name"] == "mitre-attack")?["external_id"]
                .as_str()?;
            Some(StixTechnique {
                id: id.to_string(),
                name: o["name"].as_str().unwrap_or_default().to_string(),
                active: o["revoked"] != true && o["x_mitre_deprecated"] != true,
                detection: o["x_mitre_detection"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            })
        })
        .collect()
}

pub mod cli;
pub mod lint;
pub mod lsp;
pub mod mutate;
pub mod oracle;

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The sub-folders of `dir` (one fixture each), sorted.
pub fn subfolders(dir: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
