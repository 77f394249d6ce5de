//! What an evidence source says: a technique, how strongly, and why.

use serde::Serialize;

/// Which source produced a piece of evidence; the JSON `reasons[].kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// An id or exact technique name written in the rule.
    Explicit,
    /// A tag of a parent rule (through `if_sid`/`if_group` chains).
    Parent,
    /// A curated hint from `rules-db/hints/`.
    Hint,
    /// ATT&CK's own text: names, descriptions, analytics' log sources.
    AttackText,
    /// A tagged rule that resembles this one.
    Similar,
    /// Public detections (Sigma, Splunk) whose logic resembles this rule's.
    Public,
    /// Software (malware, tools) ATT&CK knows, named in the rule.
    Software,
}

impl EvidenceKind {
    /// Every kind, in the order the README lists them.
    pub const ALL: [EvidenceKind; 7] = [
        EvidenceKind::Explicit,
        EvidenceKind::Parent,
        EvidenceKind::Hint,
        EvidenceKind::AttackText,
        EvidenceKind::Similar,
        EvidenceKind::Public,
        EvidenceKind::Software,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Explicit => "explicit",
            EvidenceKind::Parent => "parent",
            EvidenceKind::Hint => "hint",
            EvidenceKind::AttackText => "attack-text",
            EvidenceKind::Similar => "similar",
            EvidenceKind::Public => "public",
            EvidenceKind::Software => "software",
        }
    }
}

/// One piece of evidence for one technique.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub technique: String,
    /// In (0, 1]: how strongly this alone points at the technique.
    pub strength: f64,
    pub kind: EvidenceKind,
    pub detail: String,
    /// The rule writes this technique's id itself (not only its name): `fix --add-tags`
    /// then writes that technique and nothing else.
    pub names_id: bool,
}

impl Evidence {
    pub fn new(
        technique: impl Into<String>,
        strength: f64,
        kind: EvidenceKind,
        detail: impl Into<String>,
    ) -> Self {
        Evidence {
            technique: technique.into(),
            strength: strength.clamp(0.0, 1.0),
            kind,
            detail: detail.into(),
            names_id: false,
        }
    }

    /// Marks evidence that the rule writes the technique's id itself.
    pub fn naming_the_id(mut self) -> Self {
        self.names_id = true;
        self
    }
}
