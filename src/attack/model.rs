//! The compact ATT&CK tables the binary embeds, one per ATT&CK version.
//!
//! These types are both the on-disk format of `rules-db/attack/*.json` (written by the
//! generator) and the in-memory tables the checks query, so the two can never drift apart.

use serde::{Deserialize, Serialize};

/// Whether a technique can still be used in a given ATT&CK version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Revoked,
    Deprecated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Revoked => "revoked",
            Status::Deprecated => "deprecated",
        }
    }
}

/// A tactic as one version of the matrix lists it (matrix order is the table's order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tactic {
    pub id: String,
    pub shortname: String,
    pub name: String,
}

/// A technique or sub-technique as one ATT&CK version defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Technique {
    pub id: String,
    pub name: String,
    /// Tactic short names (`credential-access`), in the version's own vocabulary.
    #[serde(default)]
    pub tactics: Vec<String>,
    #[serde(default)]
    pub platforms: Vec<String>,
    #[serde(default)]
    pub sub: bool,
    pub status: Status,
    /// The immediate `revoked-by` target; follow it with `AttackVersion::resolve`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<String>,
    /// Successors a deprecated technique names in its own description ("Please use ...").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub successors: Vec<String>,
    /// ATT&CK's detection text says it happens outside the visibility of the target
    /// organisation (most PRE techniques, in the versions that still have that text).
    #[serde(default, skip_serializing_if = "is_false")]
    pub outside_view: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One ATT&CK Enterprise release, reduced to what lint and fix need.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VersionTable {
    pub version: String,
    /// Where the data came from (bundle file and tag); kept for provenance.
    pub source: String,
    pub tactics: Vec<Tactic>,
    pub techniques: Vec<Technique>,
}

/// The first line of an embedded version table (JSON Lines): the version, its tactics and
/// its technique ids in the order of the technique lines that follow, one per line.
#[derive(Debug, Serialize, Deserialize)]
pub struct VersionHeader<S> {
    pub version: String,
    pub source: String,
    pub tactics: Vec<Tactic>,
    pub ids: Vec<S>,
}

/// The text the suggester and `attack search` need, taken from the newest full bundle.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TechniqueText {
    pub id: String,
    pub description: String,
    /// `name channel` pairs from the analytics of the technique's detection strategies,
    /// e.g. `WinEventLog:Security EventCode=4768`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_sources: Vec<String>,
    /// Data sources (`Process: Process Creation`), where the version still has them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_sources: Vec<String>,
    /// ATT&CK's procedure examples: how a group, piece of software or campaign used it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<Procedure>,
}

/// One procedure example (the description of a `uses` relationship).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Procedure {
    /// Who used the technique: a group (G), software (S) or campaign (C) id.
    pub by: String,
    pub text: String,
}

/// Who uses techniques, as ATT&CK records it: a threat group or a piece of software
/// (malware or tool), with its other names and the techniques ATT&CK says it uses.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TechniqueUser {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub techniques: Vec<String>,
    /// Software only: those of its names that ATT&CK's own prose uses as ordinary lowercase
    /// words ("route", "page"): in a rule they need not mean the software.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names_in_prose: Vec<String>,
}

/// A threat group (G...).
pub type Group = TechniqueUser;
/// A piece of software (S...): malware or a tool.
pub type Software = TechniqueUser;

/// The text table: one version's descriptions, detection hints and procedure examples, plus
/// its groups and software.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TextTable {
    pub version: String,
    pub source: String,
    pub techniques: Vec<TechniqueText>,
    pub groups: Vec<Group>,
    #[serde(default)]
    pub software: Vec<Software>,
}
