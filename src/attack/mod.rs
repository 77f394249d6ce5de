//! The ATT&CK database: embedded versions, lookups, revoked-by chains, and STIX import.

#[cfg(feature = "generators")]
pub mod generate;
pub mod ids;
pub mod lookup;
pub mod model;
pub mod search;
pub mod stix;

use model::{
    Group, Status, Tactic, Technique, TechniqueText, TextTable, VersionHeader, VersionTable,
};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The ATT&CK version Wazuh 4.x managers resolve ids against (their `mitre.db`).
pub const WAZUH_4_MANAGER_VERSION: &str = "13.1";

/// Embedded version tables, oldest first; the last one is the default ("is this id current").
const EMBEDDED: &[(&str, &str)] = &[
    (
        "9.0",
        include_str!("../../rules-db/attack/compact-v9.0.jsonl"),
    ),
    (
        "13.1",
        include_str!("../../rules-db/attack/compact-v13.1.jsonl"),
    ),
    (
        "18.1",
        include_str!("../../rules-db/attack/compact-v18.1.jsonl"),
    ),
    (
        "19.2",
        include_str!("../../rules-db/attack/compact-v19.2.jsonl"),
    ),
];
const EMBEDDED_TEXT: &str = include_str!("../../rules-db/attack/text-v18.1.json");

/// One ATT&CK version with its lookup indexes.
///
/// An embedded version's techniques are parsed one by one, when first asked for: a lint of
/// one file looks up a handful of ids, and parsing all four tables whole was most of its run.
#[derive(Debug)]
pub struct AttackVersion {
    version: String,
    source: String,
    tactics: Vec<Tactic>,
    /// Sorted by id: lookups search it, with no index to build.
    techniques: Vec<LazyTechnique>,
}

/// A technique's line of the embedded table, and the technique once parsed (a bundle's
/// techniques come parsed, with no line).
#[derive(Debug)]
struct LazyTechnique {
    /// Read from the line when embedded (the lookups compare it), copied from a bundle's.
    id: Cow<'static, str>,
    json: &'static str,
    parsed: OnceLock<Box<Technique>>,
}

impl LazyTechnique {
    fn get(&self) -> &Technique {
        self.parsed.get_or_init(|| {
            serde_json::from_str(self.json).expect("embedded ATT&CK table is valid JSON")
        })
    }
}

/// The chain from an id to what currently stands for it in one version.
#[derive(Debug, Clone)]
pub struct Resolution<'a> {
    /// `chain[0]` is the id asked for; each next entry is its `revoked-by` target.
    pub chain: Vec<&'a Technique>,
    /// Set when the chain ends in an id this version does not define (or loops).
    pub dangling: Option<String>,
}

impl<'a> Resolution<'a> {
    /// The technique the chain ends in, when it ends in an active one.
    pub fn current(&self) -> Option<&'a Technique> {
        self.chain
            .last()
            .copied()
            .filter(|t| t.status == Status::Active && self.dangling.is_none())
    }

    /// `T1086 -> T1059.001` as text.
    pub fn arrow_text(&self) -> String {
        let mut ids: Vec<&str> = self.chain.iter().map(|t| t.id.as_str()).collect();
        if let Some(d) = &self.dangling {
            ids.push(d);
        }
        ids.join(" -> ")
    }
}

impl AttackVersion {
    pub fn from_table(mut table: VersionTable) -> Self {
        table.techniques.sort_by(|a, b| a.id.cmp(&b.id));
        table.techniques.dedup_by(|a, b| a.id == b.id);
        AttackVersion {
            version: table.version,
            source: table.source,
            tactics: table.tactics,
            techniques: table
                .techniques
                .into_iter()
                .map(|t| LazyTechnique {
                    id: Cow::Owned(t.id.clone()),
                    json: "",
                    parsed: OnceLock::from(Box::new(t)),
                })
                .collect(),
        }
    }

    /// An embedded table (JSON Lines, see `generate::render_version`): the header is parsed
    /// now, each technique's line when it is first asked for.
    fn embedded(jsonl: &'static str) -> Self {
        const INVALID: &str = "the embedded ATT&CK table is valid JSON Lines";
        let mut lines = crate::generated::lines(jsonl);
        let header: VersionHeader<&'static str> =
            serde_json::from_str(lines.next().expect(INVALID)).expect(INVALID);
        let techniques: Vec<LazyTechnique> = header
            .ids
            .into_iter()
            .zip(lines.by_ref())
            .map(|(id, json)| LazyTechnique {
                id: Cow::Borrowed(id),
                json,
                parsed: OnceLock::new(),
            })
            .collect();
        assert!(lines.next().is_none(), "{INVALID}");
        AttackVersion {
            version: header.version,
            source: header.source,
            tactics: header.tactics,
            techniques,
        }
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn technique(&self, id: &str) -> Option<&Technique> {
        self.techniques
            .binary_search_by(|t| t.id.as_ref().cmp(id))
            .ok()
            .map(|i| self.techniques[i].get())
    }

    /// Every technique, in the table's order (parses those not yet parsed).
    pub fn techniques(&self) -> impl ExactSizeIterator<Item = &Technique> + Clone + '_ {
        self.techniques.iter().map(|t| t.get())
    }

    /// Tactics in matrix order.
    pub fn tactics(&self) -> &[Tactic] {
        &self.tactics
    }

    pub fn tactic(&self, id: &str) -> Option<&Tactic> {
        self.tactics.iter().find(|t| t.id == id)
    }

    pub fn tactic_by_shortname(&self, shortname: &str) -> Option<&Tactic> {
        self.tactics.iter().find(|t| t.shortname == shortname)
    }

    /// Whether `id` is defined and active here.
    pub fn is_active(&self, id: &str) -> bool {
        self.technique(id)
            .is_some_and(|t| t.status == Status::Active)
    }

    /// Follows `revoked-by` from `id` until an unrevoked technique (or a dead end).
    pub fn resolve(&self, id: &str) -> Option<Resolution<'_>> {
        let first = self.technique(id)?;
        let mut chain = vec![first];
        let mut dangling = None;
        while let Some(next) = chain.last().and_then(|t| t.revoked_by.as_deref()) {
            match self.technique(next) {
                Some(t) if !chain.iter().any(|c| c.id == t.id) => chain.push(t),
                _ => {
                    dangling = Some(next.to_string());
                    break;
                }
            }
        }
        Some(Resolution { chain, dangling })
    }

    /// The tactics of a technique as tactic records of this version.
    pub fn tactics_of(&self, technique: &Technique) -> Vec<&Tactic> {
        self.tactics
            .iter()
            .filter(|t| technique.tactics.contains(&t.shortname))
            .collect()
    }
}

/// The suggester's and `attack search`'s text, with lookups.
#[derive(Debug)]
pub struct AttackText {
    table: TextTable,
    by_id: HashMap<String, usize>,
}

impl AttackText {
    pub fn from_table(table: TextTable) -> Self {
        let by_id = table
            .techniques
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        AttackText { table, by_id }
    }
    pub fn version(&self) -> &str {
        &self.table.version
    }
    pub fn technique(&self, id: &str) -> Option<&TechniqueText> {
        self.by_id.get(id).map(|&i| &self.table.techniques[i])
    }
    pub fn techniques(&self) -> &[TechniqueText] {
        &self.table.techniques
    }
    pub fn groups(&self) -> &[Group] {
        &self.table.groups
    }
    pub fn software(&self) -> &[crate::attack::model::Software] {
        &self.table.software
    }
}

struct Slot {
    name: String,
    embedded_json: Option<&'static str>,
    loaded: OnceLock<AttackVersion>,
}

impl Slot {
    fn get(&self) -> &AttackVersion {
        self.loaded.get_or_init(|| {
            let json = self
                .embedded_json
                .expect("a slot without embedded data is filled when it is made");
            AttackVersion::embedded(json)
        })
    }
}

/// A version name the database does not hold.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown ATT&CK version '{asked}'; known: {}", known.join(", "))]
pub struct UnknownVersion {
    pub asked: String,
    pub known: Vec<String>,
}

/// All ATT&CK versions the tool knows: the embedded ones, plus a user's bundle if given.
///
/// Versions are parsed on first use, so a lint that asks for two versions pays for two.
pub struct AttackDb {
    slots: Vec<Slot>,
    text_json: Option<&'static str>,
    text: OnceLock<AttackText>,
}

impl Default for AttackDb {
    fn default() -> Self {
        Self::embedded()
    }
}

impl AttackDb {
    /// The database compiled into the binary.
    pub fn embedded() -> Self {
        AttackDb {
            slots: EMBEDDED
                .iter()
                .map(|(name, json)| Slot {
                    name: name.to_string(),
                    embedded_json: Some(json),
                    loaded: OnceLock::new(),
                })
                .collect(),
            text_json: Some(EMBEDDED_TEXT),
            text: OnceLock::new(),
        }
    }

    /// Adds a user's bundle (`--attack-data`) as the newest version, and its text when it has some.
    pub fn with_bundle(mut self, imported: stix::Imported) -> Self {
        let name = imported.table.version.clone();
        self.slots.retain(|s| s.name != name);
        let loaded = OnceLock::new();
        let _ = loaded.set(AttackVersion::from_table(imported.table));
        self.slots.push(Slot {
            name,
            embedded_json: None,
            loaded,
        });
        if !imported.text.techniques.is_empty() {
            self.text_json = None;
            self.text = OnceLock::new();
            let _ = self.text.set(AttackText::from_table(imported.text));
        }
        self
    }

    /// Version names, oldest first.
    pub fn version_names(&self) -> Vec<&str> {
        self.slots.iter().map(|s| s.name.as_str()).collect()
    }

    /// The newest version: the default for "is this id current".
    pub fn latest(&self) -> &AttackVersion {
        self.slots.last().expect("at least one version").get()
    }

    pub fn latest_name(&self) -> &str {
        &self.slots.last().expect("at least one version").name
    }

    /// A version's slot by name (`13.1`, `v13.1`, or `latest`), not yet parsed.
    fn slot(&self, name: &str) -> Result<&Slot, UnknownVersion> {
        let wanted = name.trim().trim_start_matches(['v', 'V']);
        if wanted == "latest" || wanted == "atest" {
            return Ok(self.slots.last().expect("at least one version"));
        }
        (self.slots.iter().find(|s| s.name == wanted)).ok_or_else(|| UnknownVersion {
            asked: name.to_string(),
            known: self.slots.iter().map(|s| s.name.clone()).collect(),
        })
    }

    /// A version by name (`13.1`, `v13.1`, or `latest`).
    pub fn version(&self, name: &str) -> Result<&AttackVersion, UnknownVersion> {
        self.slot(name).map(Slot::get)
    }

    /// A version's own name (`v13.1` -> `13.1`, `latest` -> `19.2`), without parsing it.
    pub fn version_name(&self, name: &str) -> Result<&str, UnknownVersion> {
        self.slot(name).map(|s| s.name.as_str())
    }

    /// Parses these versions side by side, each once: a run that needs two waits for one.
    pub fn preload(&self, names: &[&str]) {
        use rayon::prelude::*;
        names.par_iter().for_each(|n| {
            let _ = self.version(n);
        });
    }

    /// Every version, oldest first (parses those not yet parsed).
    pub fn all_versions(&self) -> impl Iterator<Item = &AttackVersion> {
        self.slots.iter().map(Slot::get)
    }

    /// Technique descriptions and log sources, for search and suggestion.
    pub fn text(&self) -> &AttackText {
        self.text.get_or_init(|| {
            let json = self.text_json.unwrap_or("{}");
            let table: TextTable = serde_json::from_str(json).unwrap_or_default();
            AttackText::from_table(table)
        })
    }

    /// The versions an id appears in, with its status in each, oldest first.
    pub fn history(&self, id: &str) -> Vec<(&str, Status)> {
        self.all_versions()
            .filter_map(|v| v.technique(id).map(|t| (v.version(), t.status)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_chains_are_followed_to_the_current_technique() {
        let db = AttackDb::embedded();
        let v18 = db.version("18.1").unwrap();
        let r = v18.resolve("T1073").unwrap();
        assert_eq!(r.arrow_text(), "T1073 -> T1574.002 -> T1574.001");
        assert_eq!(r.current().unwrap().id, "T1574.001");
        let r = v18.resolve("T1150").unwrap();
        assert_eq!(r.current().unwrap().id, "T1647");
        let r = db.latest().resolve("T1086").unwrap();
        assert_eq!(r.current().unwrap().name, "PowerShell");
    }

    #[test]
    fn the_newest_version_is_19_2_with_fifteen_tactics() {
        let db = AttackDb::embedded();
        assert_eq!(db.latest_name(), "19.2");
        let latest = db.latest();
        assert_eq!(latest.tactics().len(), 15);
        assert_eq!(latest.tactic("TA0005").unwrap().name, "Stealth");
        assert_eq!(latest.tactics()[7].id, "TA0112");
        assert_eq!(db.version("13.1").unwrap().tactics().len(), 14);
    }

    #[test]
    fn history_tells_the_manager_version_apart_from_the_newest() {
        let db = AttackDb::embedded();
        let h = db.history("T1562.001");
        assert!(h.contains(&("13.1", Status::Active)));
        assert!(h.contains(&("19.2", Status::Revoked)));
        assert!(db.history("T1685").iter().all(|(v, _)| *v == "19.2"));
        assert!(db.version("13.1").unwrap().technique("T1685").is_none());
    }

    /// A table read lazily finds what parsing every line finds, each technique under the id
    /// its own line gives.
    #[test]
    fn embedded_tables_read_lazily_are_those_of_every_line() {
        for (name, jsonl) in EMBEDDED {
            let mut lines = jsonl.lines();
            let header: VersionHeader<String> =
                serde_json::from_str(lines.next().unwrap()).unwrap();
            let whole = VersionTable {
                version: header.version,
                source: header.source,
                tactics: header.tactics,
                techniques: lines.map(|l| serde_json::from_str(l).unwrap()).collect(),
            };
            let lazy = AttackVersion::embedded(jsonl);
            assert_eq!(lazy.version(), whole.version);
            assert_eq!(lazy.source(), whole.source);
            assert_eq!(lazy.tactics(), &whole.tactics[..], "{name}");
            assert_eq!(lazy.techniques().len(), whole.techniques.len(), "{name}");
            assert!(lazy.techniques().eq(whole.techniques.iter()), "{name}");
            for t in &whole.techniques {
                assert_eq!(lazy.technique(&t.id), Some(t), "{name} {}", t.id);
            }
            assert!(whole.techniques.len() > 500, "{name}");
            assert!(lazy.technique("T0000").is_none());
        }
    }

    #[test]
    fn versions_are_named_with_or_without_v() {
        let db = AttackDb::embedded();
        assert_eq!(db.version("v13.1").unwrap().version(), "13.1");
        assert!(db
            .version("7.0")
            .unwrap_err()
            .to_string()
            .contains("known: 9.0, 13.1, 18.1, 19.2"));
    }
}
