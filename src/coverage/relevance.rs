//! Which techniques matter: the platforms kept, the ATT&CK groups that weigh them, and the
//! user's own targets.

use super::{parent_of, CoverageError, CoverageOptions};
use crate::attack::model::Technique;
use crate::attack::AttackVersion;
use crate::project::Project;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The relevance the report was computed with (serialised as it was asked for).
#[derive(Debug, Clone, Serialize)]
pub struct Relevance {
    /// `--platform`, as given (empty: every platform).
    pub platforms: Vec<String>,
    /// The ATT&CK groups that weigh techniques, as `G0016 APT29`.
    pub groups: Vec<String>,
    /// `selected groups` or `all ATT&CK groups` (how many use a technique).
    pub weighting: String,
    /// `--targets`, as current ids.
    pub targets: Vec<String>,
    #[serde(skip)]
    platform_keys: Vec<String>,
    /// Top-level technique -> names of the weighing groups that use it.
    #[serde(skip)]
    users: BTreeMap<String, BTreeSet<String>>,
}

/// A platform name in one spelling: lower case, letters and digits only, with Atomic Red
/// Team's names mapped to ATT&CK's.
fn platform_key(p: &str) -> String {
    let k: String = p
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match k.as_str() {
        "office365" | "office" => "officesuite".into(),
        "azuread" | "entraid" => "identityprovider".into(),
        "googleworkspace" => "saas".into(),
        _ => k,
    }
}

impl Relevance {
    pub fn build(
        project: &Project,
        version: &AttackVersion,
        opts: &CoverageOptions,
    ) -> Result<Relevance, CoverageError> {
        let all = project.db.text().groups();
        let chosen: Vec<&crate::attack::model::Group> = if opts.groups.is_empty() {
            all.iter().collect()
        } else {
            opts.groups
                .iter()
                .map(|want| {
                    let w = want.trim();
                    all.iter()
                        .find(|g| {
                            g.id.eq_ignore_ascii_case(w)
                                || g.name.eq_ignore_ascii_case(w)
                                || g.aliases.iter().any(|a| a.eq_ignore_ascii_case(w))
                        })
                        .ok_or_else(|| CoverageError::UnknownGroup(want.clone()))
                })
                .collect::<Result<_, _>>()?
        };
        let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for g in &chosen {
            for t in &g.techniques {
                // Groups are ATT&CK 18.1's: count them under the selected version's ids.
                let current = version
                    .resolve(t)
                    .and_then(|r| r.current())
                    .map(|c| c.id.clone());
                if let Some(id) = current {
                    users
                        .entry(parent_of(&id).to_string())
                        .or_default()
                        .insert(g.name.clone());
                }
            }
        }
        let targets = match &opts.targets {
            None => Vec::new(),
            Some(path) => read_targets(path, version)?,
        };
        Ok(Relevance {
            platforms: opts.platforms.clone(),
            groups: if opts.groups.is_empty() {
                Vec::new()
            } else {
                chosen
                    .iter()
                    .map(|g| format!("{} {}", g.id, g.name))
                    .collect()
            },
            weighting: if opts.groups.is_empty() {
                "all ATT&CK groups".into()
            } else {
                "selected groups".into()
            },
            targets,
            platform_keys: opts
                .platforms
                .iter()
                .flat_map(|p| p.split(','))
                .map(platform_key)
                .filter(|k| !k.is_empty())
                .collect(),
            users,
        })
    }

    pub fn is_relevant(&self, t: &Technique) -> bool {
        self.platform_keys.is_empty()
            || t.platforms
                .iter()
                .any(|p| self.platform_keys.contains(&platform_key(p)))
    }

    pub fn test_is_relevant(&self, platforms: &[String]) -> bool {
        self.platform_keys.is_empty()
            || platforms
                .iter()
                .any(|p| self.platform_keys.contains(&platform_key(p)))
    }

    /// How many weighing groups use the technique (or a sub-technique of it), plus a
    /// hundred for a target.
    pub fn weight(&self, top: &str) -> f64 {
        let groups = self.users.get(top).map_or(0, BTreeSet::len) as f64;
        groups + if self.is_target(top) { 100.0 } else { 0.0 }
    }

    pub fn groups_using(&self, top: &str) -> Vec<String> {
        self.users
            .get(top)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    pub fn is_target(&self, id: &str) -> bool {
        self.targets.iter().any(|t| t == id || parent_of(t) == id)
    }

    pub fn targets(&self) -> &[String] {
        &self.targets
    }
}

/// One technique id per line; `#` starts a comment; ids are checked against the version.
fn read_targets(
    path: &std::path::Path,
    version: &AttackVersion,
) -> Result<Vec<String>, CoverageError> {
    let fail = |line, message: String| CoverageError::Targets {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| fail(None, format!("cannot read: {e}")))?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let id = raw
            .split('#')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase();
        if id.is_empty() {
            continue;
        }
        let current = version
            .resolve(&id)
            .and_then(|r| r.current().map(|c| c.id.clone()))
            .ok_or_else(|| {
                fail(
                    Some(i + 1),
                    format!("`{id}` is not a technique of ATT&CK {}", version.version()),
                )
            })?;
        if !out.contains(&current) {
            out.push(current);
        }
    }
    Ok(out)
}
