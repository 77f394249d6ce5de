//! What `wazuh-mitre attack` shows, looked up: a technique or a tactic in one version, with
//! its history in every embedded version. The renderers (`report::attack`) turn these views
//! into text or JSON.

use super::model::{Status, Tactic, Technique};
use super::{AttackDb, AttackVersion};

/// A technique as one version defines it, with what it stands for now.
pub struct TechniqueView<'a> {
    pub version: &'a str,
    /// The technique asked for.
    pub technique: &'a Technique,
    /// `revoked-by` from the one asked for: `chain[0]` is it.
    pub chain: Vec<&'a Technique>,
    /// `T1086 -> T1059.001`.
    pub chain_text: String,
    /// Where the chain ends in an active technique.
    pub current: Option<&'a Technique>,
    /// Whose tactics and platforms are shown: the current one for a revoked technique.
    pub shown: &'a Technique,
    pub tactics: Vec<&'a Tactic>,
    /// Its status in every embedded version.
    pub history: Vec<(&'a str, Status)>,
    /// The first paragraph of ATT&CK's description of `shown`, with the version it is from.
    pub description: Option<(String, &'a str)>,
}

/// A tactic in one version, with its names in every version.
pub struct TacticView<'a> {
    pub version: &'a str,
    pub tactic: &'a Tactic,
    /// Active techniques (sub-techniques included) under it.
    pub techniques: usize,
    pub names: Vec<(&'a str, &'a str)>,
}

/// An id the version asked does not define.
pub struct NotFound<'a> {
    pub id: String,
    pub version: &'a str,
    /// The versions that define it, with its status there (a tactic: its name there).
    pub elsewhere: Vec<(&'a str, String)>,
    pub versions: Vec<&'a str>,
    pub what: &'static str,
}

/// The first paragraph of ATT&CK prose.
fn first_paragraph(text: &str) -> &str {
    text.trim().split("\n\n").next().unwrap_or("").trim()
}

pub fn technique<'a>(
    db: &'a AttackDb,
    version: &'a AttackVersion,
    id: &str,
) -> Result<TechniqueView<'a>, NotFound<'a>> {
    let Some(resolution) = version.resolve(id) else {
        return Err(NotFound {
            id: id.to_string(),
            version: version.version(),
            elsewhere: db
                .history(id)
                .into_iter()
                .map(|(v, s)| (v, s.as_str().to_string()))
                .collect(),
            versions: db.version_names(),
            what: "technique",
        });
    };
    let technique = resolution.chain[0];
    let current = resolution.current();
    let shown = current.unwrap_or(technique);
    let text = db.text();
    let description = text
        .technique(&shown.id)
        .map(|x| first_paragraph(&x.description).to_string())
        .filter(|d| !d.is_empty())
        .map(|d| (d, text.version()));
    Ok(TechniqueView {
        version: version.version(),
        technique,
        chain_text: resolution.arrow_text(),
        chain: resolution.chain.clone(),
        current,
        shown,
        tactics: version.tactics_of(shown),
        history: db.history(id),
        description,
    })
}

pub fn tactic<'a>(
    db: &'a AttackDb,
    version: &'a AttackVersion,
    id: &str,
) -> Result<TacticView<'a>, NotFound<'a>> {
    let names: Vec<(&str, &str)> = db
        .all_versions()
        .filter_map(|v| v.tactic(id).map(|t| (v.version(), t.name.as_str())))
        .collect();
    let Some(tactic) = version.tactic(id) else {
        return Err(NotFound {
            id: id.to_string(),
            version: version.version(),
            elsewhere: names.iter().map(|(v, n)| (*v, n.to_string())).collect(),
            versions: db.version_names(),
            what: "tactic",
        });
    };
    let techniques = version
        .techniques()
        .filter(|t| t.status == Status::Active && t.tactics.contains(&tactic.shortname))
        .count();
    Ok(TacticView {
        version: version.version(),
        tactic,
        techniques,
        names,
    })
}
