//! Import of MITRE's STIX bundles (2.0 and 2.1) and of the v19.2 field extract.
//!
//! Used by the `gen-rules-db` generator and by `--attack-data FILE` at run time, so the
//! embedded tables and a user's newer bundle are read by the same code.

use super::model::{
    Group, Procedure, Software, Status, Tactic, Technique, TechniqueText, TechniqueUser, TextTable,
    VersionTable,
};
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
struct Bundle {
    #[serde(rename = "type")]
    kind: String,
    objects: Vec<StixObject>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExternalRef {
    source_name: String,
    external_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct KillChainPhase {
    kill_chain_name: String,
    phase_name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LogSourceRef {
    name: String,
    channel: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StixObject {
    #[serde(rename = "type")]
    kind: String,
    id: String,
    name: String,
    description: String,
    revoked: bool,
    x_mitre_deprecated: bool,
    external_references: Vec<ExternalRef>,
    kill_chain_phases: Vec<KillChainPhase>,
    x_mitre_platforms: Vec<String>,
    x_mitre_is_subtechnique: bool,
    x_mitre_shortname: String,
    x_mitre_version: String,
    x_mitre_data_sources: Vec<String>,
    x_mitre_detection: String,
    x_mitre_domains: Vec<String>,
    aliases: Vec<String>,
    x_mitre_aliases: Vec<String>,
    tactic_refs: Vec<String>,
    relationship_type: String,
    source_ref: String,
    target_ref: String,
    x_mitre_analytic_refs: Vec<String>,
    x_mitre_log_source_references: Vec<LogSourceRef>,
}

impl StixObject {
    fn attack_id(&self) -> Option<&str> {
        self.external_references
            .iter()
            .find(|r| r.source_name == "mitre-attack")
            .and_then(|r| r.external_id.as_deref())
    }
}

/// What a bundle yields: the version table and the text table.
pub struct Imported {
    pub table: VersionTable,
    pub text: TextTable,
}

/// Why a bundle or extract could not be imported. `name` is how the input is shown.
#[derive(Debug, thiserror::Error)]
pub enum StixError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{name} is not a STIX bundle: {source}")]
    NotJson {
        name: String,
        source: serde_json::Error,
    },
    #[error("{name} is not a STIX bundle: top-level type is '{kind}'")]
    NotABundle { name: String, kind: String },
    #[error("{name} has no ATT&CK tactics: is it an Enterprise ATT&CK bundle?")]
    NoTactics { name: String },
    #[error("{name} has no ATT&CK techniques (attack-pattern objects)")]
    NoTechniques { name: String },
    #[error("{name} is not an ATT&CK field extract: {source}")]
    NotAnExtract {
        name: String,
        source: serde_json::Error,
    },
}

/// Reads a STIX 2.0/2.1 ATT&CK Enterprise bundle from disk.
pub fn import_bundle_file(path: &Path) -> Result<Imported, StixError> {
    let bytes = std::fs::read(path).map_err(|source| StixError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let fallback = version_from_file_name(path);
    import_bundle(&bytes, &fallback, &path.display().to_string())
}

fn version_from_file_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(\d+\.\d+(?:\.\d+)?)").unwrap());
    re.captures(name)
        .map(|c| c[1].to_string())
        .unwrap_or_else(|| "custom".to_string())
}

/// Parses bundle bytes. `fallback_version` is used when the bundle has no collection object
/// (STIX 2.0 bundles, as cut from mitre/cti, carry their version only in the file name).
pub fn import_bundle(
    bytes: &[u8],
    fallback_version: &str,
    source: &str,
) -> Result<Imported, StixError> {
    let name = || source.to_string();
    let bundle: Bundle = serde_json::from_slice(bytes).map_err(|e| StixError::NotJson {
        name: name(),
        source: e,
    })?;
    if bundle.kind != "bundle" {
        return Err(StixError::NotABundle {
            name: name(),
            kind: bundle.kind,
        });
    }
    let objects = &bundle.objects;
    let version = objects
        .iter()
        .find(|o| o.kind == "x-mitre-collection" && !o.x_mitre_version.is_empty())
        .map(|o| o.x_mitre_version.clone())
        .unwrap_or_else(|| fallback_version.to_string());

    let by_stix_id: HashMap<&str, &StixObject> =
        objects.iter().map(|o| (o.id.as_str(), o)).collect();

    let tactics = tactics_in_matrix_order(objects, &by_stix_id);
    if tactics.is_empty() {
        return Err(StixError::NoTactics { name: name() });
    }

    // revoked-by and detects relationships, keyed by source STIX id.
    let mut revoked_by: HashMap<&str, &str> = HashMap::new();
    let mut strategies_of: HashMap<&str, Vec<&str>> = HashMap::new();
    // Who uses which technique (groups, software, campaigns), with the procedure text.
    let mut uses_of: HashMap<&str, BTreeSet<String>> = HashMap::new();
    let mut procedures_of: HashMap<&str, BTreeSet<(String, String)>> = HashMap::new();
    for rel in objects
        .iter()
        .filter(|o| o.kind == "relationship" && !o.revoked)
    {
        match rel.relationship_type.as_str() {
            "revoked-by" => {
                revoked_by.insert(&rel.source_ref, &rel.target_ref);
            }
            "detects" => strategies_of
                .entry(&rel.target_ref)
                .or_default()
                .push(&rel.source_ref),
            "uses" if !rel.x_mitre_deprecated => {
                let Some(id) = by_stix_id
                    .get(rel.target_ref.as_str())
                    .filter(|t| t.kind == "attack-pattern" && !t.revoked)
                    .and_then(|t| t.attack_id())
                else {
                    continue;
                };
                let Some(user) = by_stix_id
                    .get(rel.source_ref.as_str())
                    .filter(|u| !u.revoked && !u.x_mitre_deprecated)
                    .and_then(|u| u.attack_id())
                else {
                    continue;
                };
                uses_of
                    .entry(&rel.source_ref)
                    .or_default()
                    .insert(id.to_string());
                let text = plain_text(&rel.description);
                if !text.is_empty() {
                    procedures_of
                        .entry(&rel.target_ref)
                        .or_default()
                        .insert((user.to_string(), text));
                }
            }
            _ => {}
        }
    }

    let mut techniques: BTreeMap<String, Technique> = BTreeMap::new();
    let mut texts: BTreeMap<String, TechniqueText> = BTreeMap::new();
    for o in objects.iter().filter(|o| o.kind == "attack-pattern") {
        let Some(id) = o.attack_id() else { continue };
        if !id.starts_with('T') {
            continue;
        }
        let status = if o.revoked {
            Status::Revoked
        } else if o.x_mitre_deprecated {
            Status::Deprecated
        } else {
            Status::Active
        };
        let target = revoked_by
            .get(o.id.as_str())
            .and_then(|t| by_stix_id.get(t))
            .and_then(|t| t.attack_id())
            .map(str::to_string);
        let successors = if status == Status::Deprecated {
            successors_named_in(&o.description, id)
        } else {
            Vec::new()
        };
        let technique = Technique {
            id: id.to_string(),
            name: o.name.clone(),
            tactics: o
                .kill_chain_phases
                .iter()
                .filter(|p| p.kill_chain_name == "mitre-attack")
                .map(|p| p.phase_name.clone())
                .collect(),
            platforms: sorted(o.x_mitre_platforms.clone()),
            // 9.0 strips revoked objects of the flag: a dot in the id is the reliable sign.
            sub: o.x_mitre_is_subtechnique || id.contains('.'),
            status,
            revoked_by: if status == Status::Revoked {
                target
            } else {
                None
            },
            successors,
            outside_view: says_outside_view(&o.x_mitre_detection),
        };
        if status == Status::Active {
            let log_sources = log_sources_of(&o.id, &strategies_of, &by_stix_id);
            texts.insert(
                id.to_string(),
                TechniqueText {
                    id: id.to_string(),
                    description: plain_text(&o.description),
                    log_sources,
                    data_sources: sorted(o.x_mitre_data_sources.clone()),
                    procedures: procedures_of
                        .get(o.id.as_str())
                        .into_iter()
                        .flatten()
                        .map(|(by, text)| Procedure {
                            by: by.clone(),
                            text: text.clone(),
                        })
                        .collect(),
                },
            );
        }
        // A release may carry two objects for one id (one revoked); keep the live one.
        match techniques.get(id) {
            Some(existing) if existing.status == Status::Active => {}
            _ => {
                techniques.insert(id.to_string(), technique);
            }
        }
    }
    if techniques.is_empty() {
        return Err(StixError::NoTechniques { name: name() });
    }

    // Groups and software alike: ATT&CK id, name, other names, techniques used.
    let user = |o: &StixObject, other_names: &[String]| {
        Some(TechniqueUser {
            id: o.attack_id()?.to_string(),
            name: o.name.clone(),
            aliases: other_names
                .iter()
                .filter(|a| **a != o.name)
                .cloned()
                .collect(),
            techniques: uses_of
                .get(o.id.as_str())
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
            names_in_prose: Vec::new(),
        })
    };
    let live = |o: &&StixObject| !o.revoked && !o.x_mitre_deprecated;
    let mut groups: Vec<Group> = objects
        .iter()
        .filter(|o| o.kind == "intrusion-set")
        .filter(live)
        .filter_map(|o| user(o, &o.aliases))
        .collect();
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    let mut software: Vec<Software> = objects
        .iter()
        .filter(|o| o.kind == "malware" || o.kind == "tool")
        .filter(live)
        .filter_map(|o| user(o, &o.x_mitre_aliases))
        .collect();
    software.sort_by(|a, b| a.id.cmp(&b.id));
    let prose = lowercase_prose_words(objects);
    for s in &mut software {
        s.names_in_prose = std::iter::once(&s.name)
            .chain(&s.aliases)
            .filter(|n| prose.contains(n.to_lowercase().as_str()))
            .cloned()
            .collect();
    }

    Ok(Imported {
        table: VersionTable {
            version: version.clone(),
            source: source.to_string(),
            tactics,
            techniques: techniques.into_values().collect(),
        },
        text: TextTable {
            version,
            source: source.to_string(),
            techniques: texts.into_values().collect(),
            groups,
            software,
        },
    })
}

/// Words written in lowercase in the prose of technique descriptions: code, quoted
/// strings, links and citations left out, so a command such as `netsh` in backticks is not
/// prose but "route" or "page" in a sentence is.
fn lowercase_prose_words(objects: &[StixObject]) -> HashSet<String> {
    let strip = Regex::new(
        r#"(?s)\(Citation:[^)]*\)|\[[^\]]*\]\([^)]*\)|<code>.*?</code>|`[^`]*`|"[^"]*""#,
    )
    .unwrap();
    let mut words = HashSet::new();
    for o in objects
        .iter()
        .filter(|o| o.kind == "attack-pattern" && !o.revoked)
    {
        let prose = strip.replace_all(&o.description, " ");
        for w in prose.split(|c: char| !c.is_ascii_alphanumeric()) {
            if !w.is_empty() && !w.bytes().any(|b| b.is_ascii_uppercase()) {
                words.insert(w.to_string());
            }
        }
    }
    words
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

fn tactics_in_matrix_order(
    objects: &[StixObject],
    by_stix_id: &HashMap<&str, &StixObject>,
) -> Vec<Tactic> {
    let to_tactic = |o: &StixObject| {
        Some(Tactic {
            id: o.attack_id()?.to_string(),
            shortname: o.x_mitre_shortname.clone(),
            name: o.name.clone(),
        })
    };
    if let Some(matrix) = objects.iter().find(|o| o.kind == "x-mitre-matrix") {
        let ordered: Vec<Tactic> = matrix
            .tactic_refs
            .iter()
            .filter_map(|r| by_stix_id.get(r.as_str()))
            .filter_map(|o| to_tactic(o))
            .collect();
        if !ordered.is_empty() {
            return ordered;
        }
    }
    objects
        .iter()
        .filter(|o| o.kind == "x-mitre-tactic")
        .filter_map(to_tactic)
        .collect()
}

fn log_sources_of(
    technique_stix_id: &str,
    strategies_of: &HashMap<&str, Vec<&str>>,
    by_stix_id: &HashMap<&str, &StixObject>,
) -> Vec<String> {
    let mut out = BTreeSet::new();
    for strategy in strategies_of.get(technique_stix_id).into_iter().flatten() {
        let Some(strategy) = by_stix_id.get(strategy) else {
            continue;
        };
        for analytic in &strategy.x_mitre_analytic_refs {
            let Some(analytic) = by_stix_id.get(analytic.as_str()) else {
                continue;
            };
            for src in &analytic.x_mitre_log_source_references {
                out.insert(format!("{} {}", src.name, src.channel).trim().to_string());
            }
        }
    }
    out.into_iter().collect()
}

/// Technique ids a deprecated technique's description points to ("Please use [X](.../T1059)").
/// Whether a technique's detection text says the activity happens where the defender cannot
/// see it ("Much of this activity may have a very high occurrence ... takes place outside the
/// visibility of the target organization"), as ATT&CK writes of most PRE techniques.
pub fn says_outside_view(detection: &str) -> bool {
    let d = detection.to_ascii_lowercase();
    d.contains("outside the visibility of the target organization")
        || d.contains("outside of the visibility of the target organization")
}

pub fn successors_named_in(description: &str, own_id: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"attack\.mitre\.org/techniques/(T\d{4})(?:/(\d{3}))?").unwrap()
    });
    // Only the sentence that names successors; other links are background.
    let Some(start) = description.find("Please use") else {
        return Vec::new();
    };
    let sentence_end = description[start..]
        .find("**")
        .map(|e| start + e)
        .unwrap_or(description.len());
    let mut out = Vec::new();
    for c in re.captures_iter(&description[start..sentence_end]) {
        let id = match c.get(2) {
            Some(sub) => format!("{}.{}", &c[1], sub.as_str()),
            None => c[1].to_string(),
        };
        if id != own_id && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Description text without citation markers, markdown links or HTML code tags.
pub fn plain_text(description: &str) -> String {
    static CITE: OnceLock<Regex> = OnceLock::new();
    static LINK: OnceLock<Regex> = OnceLock::new();
    static TAG: OnceLock<Regex> = OnceLock::new();
    let cite = CITE.get_or_init(|| Regex::new(r"\(Citation:[^)]*\)").unwrap());
    let link = LINK.get_or_init(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap());
    let tag = TAG.get_or_init(|| Regex::new(r"</?code>").unwrap());
    let s = cite.replace_all(description, "");
    let s = link.replace_all(&s, "$1");
    let s = tag.replace_all(&s, "");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Deserialize)]
struct Extract {
    attack_version: String,
    upstream_file: String,
    tactics: Vec<Tactic>,
    techniques: BTreeMap<String, ExtractTechnique>,
}

#[derive(Debug, Deserialize)]
struct ExtractTechnique {
    name: String,
    #[serde(default)]
    tactics: Vec<String>,
    #[serde(default)]
    platforms: Vec<String>,
    #[serde(default)]
    is_subtechnique: bool,
    #[serde(default)]
    revoked: bool,
    #[serde(default)]
    deprecated: bool,
    revoked_by: Option<String>,
}

/// Reads the v19.2 field extract (ids, names, tactics, platforms, status, revoked-by).
pub fn import_extract(bytes: &[u8], source: &str) -> Result<VersionTable, StixError> {
    let extract: Extract = serde_json::from_slice(bytes).map_err(|e| StixError::NotAnExtract {
        name: source.to_string(),
        source: e,
    })?;
    let techniques = extract
        .techniques
        .into_iter()
        .map(|(id, t)| {
            let status = if t.revoked {
                Status::Revoked
            } else if t.deprecated {
                Status::Deprecated
            } else {
                Status::Active
            };
            Technique {
                sub: t.is_subtechnique || id.contains('.'),
                id,
                name: t.name,
                tactics: t.tactics,
                platforms: sorted(t.platforms),
                status,
                revoked_by: t.revoked_by.filter(|_| status == Status::Revoked),
                successors: Vec::new(),
                // The extract has no detection text.
                outside_view: false,
            }
        })
        .collect();
    Ok(VersionTable {
        version: extract.attack_version,
        source: format!("{source} (field subset of {})", extract.upstream_file),
        tactics: extract.tactics,
        techniques,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successors_are_read_from_the_please_use_sentence() {
        let d = "**This technique has been deprecated. Please use [Command and Scripting Interpreter](https://attack.mitre.org/techniques/T1059) where appropriate.** See [X](https://attack.mitre.org/techniques/T1003).";
        assert_eq!(successors_named_in(d, "T1064"), vec!["T1059"]);
        let d2 = "Please use [A](https://attack.mitre.org/techniques/T1021/003) and [B](https://attack.mitre.org/techniques/T1559/001).**";
        assert_eq!(
            successors_named_in(d2, "T1175"),
            vec!["T1021.003", "T1559.001"]
        );
        assert!(successors_named_in("deprecated and should no longer be used", "T1").is_empty());
    }

    #[test]
    fn plain_text_drops_citations_and_links() {
        let d = "Adversaries may use [PowerShell](https://attack.mitre.org/techniques/T1059/001) <code>-enc</code>.(Citation: Foo 2020)";
        assert_eq!(plain_text(d), "Adversaries may use PowerShell -enc.");
    }

    #[test]
    fn a_non_bundle_is_a_clear_error() {
        let err = import_bundle(b"{\"type\":\"foo\",\"objects\":[]}", "1.0", "x.json").err();
        assert!(matches!(err, Some(StixError::NotABundle { ref kind, .. }) if kind == "foo"));
        assert!(err.unwrap().to_string().contains("not a STIX bundle"));
        let err = import_bundle(b"not json", "1.0", "y.json").err().unwrap();
        // The parser's error is kept as the source.
        assert!(std::error::Error::source(&err).is_some());
        assert!(err.to_string().starts_with("y.json is not a STIX bundle"));
    }
}
