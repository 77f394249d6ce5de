//! The model of a rule file: rules, their fields and `<mitre>` blocks, each with its span.

use super::names::Name;
use super::span::{LineIndex, Span};
use std::path::PathBuf;
use thin_vec::ThinVec;

/// Text a rule holds, most of it short (`id="100200"`, `<match>4625</match>`): up to 24
/// bytes it lives inside the struct, with no allocation of its own.
pub use compact_str::CompactString;

/// A piece of text read from the file, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A file as read from disk: its original text is the truth every span points into.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let lines = LineIndex::new(&text);
        SourceFile { path, text, lines }
    }
}

/// Whether a file holds rules, decoders, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Rules,
    Decoders,
    Other,
}

/// Why a file could not be read as the manager would.
#[derive(Debug, Clone)]
pub enum ReadError {
    /// The file could not be read from disk (shared: a failure is cloned with its file).
    Io(std::sync::Arc<std::io::Error>),
    /// The file is longer than a span's offsets reach.
    TooLarge { bytes: u64 },
    /// The manager's XML reader refuses it.
    Xml(super::xml::XmlError),
    /// The manager's XML reader refuses it, and the file is UTF-16, which is why.
    Utf16(super::xml::XmlError),
    /// The manager's XML reader refuses it, and the file holds NUL bytes: not text at all.
    Binary(super::xml::XmlError),
}

impl ReadError {
    /// Byte offset in the original text, when the problem has a place.
    pub fn offset(&self) -> Option<usize> {
        match self {
            ReadError::Io(_) | ReadError::TooLarge { .. } => None,
            ReadError::Xml(e) | ReadError::Utf16(e) | ReadError::Binary(e) => Some(e.offset),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io(e) => Some(e.as_ref()),
            ReadError::Xml(e) | ReadError::Utf16(e) | ReadError::Binary(e) => Some(e),
            ReadError::TooLarge { .. } => None,
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read file: {e}"),
            ReadError::TooLarge { bytes } => write!(
                f,
                "cannot read file: the file has {bytes} bytes; wazuh-mitre reads files of up to 4 GiB"
            ),
            ReadError::Xml(e) => e.fmt(f),
            ReadError::Binary(e) => write!(
                f,
                "a binary file (it holds NUL bytes), not a rule file: the manager refuses it [os_xml: \"{}\"]",
                String::from_utf8_lossy(&e.manager_message())
            ),
            ReadError::Utf16(e) => write!(
                f,
                "the file is UTF-16: the manager reads bytes and refuses it [os_xml: \"{}\"]; save it as UTF-8",
                String::from_utf8_lossy(&e.manager_message())
            ),
        }
    }
}

/// One parsed rule file.
#[derive(Debug)]
pub struct RuleFile {
    pub source: SourceFile,
    pub kind: FileKind,
    pub rules: Vec<Rule>,
    /// Problems that make the manager reject the file or skip part of it.
    pub structure_problems: Vec<Spanned<String>>,
    /// Rebuilt from a file the manager cannot read, so its tags can still be checked.
    /// The manager loads none of it: salvaged files take no part in the load order.
    pub salvaged: bool,
    /// The first byte that is not UTF-8, for files the manager reads byte by byte anyway.
    pub not_utf8_at: Option<usize>,
    /// Every comment that starts with `wazuh-mitre:` (its text between the markers), wherever
    /// it stands, so misplaced and misspelt suppressions can be reported.
    pub directives: Vec<Spanned<String>>,
}

/// A rule's relationship to the rules it depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentKind {
    IfSid,
    IfMatchedSid,
    IfGroup,
    IfMatchedGroup,
}

impl ParentKind {
    pub fn element(self) -> &'static str {
        match self {
            ParentKind::IfSid => "if_sid",
            ParentKind::IfMatchedSid => "if_matched_sid",
            ParentKind::IfGroup => "if_group",
            ParentKind::IfMatchedGroup => "if_matched_group",
        }
    }
    /// The kind an element name stands for (`if_sid`, ...).
    pub fn from_element(element: &str) -> Option<ParentKind> {
        [
            ParentKind::IfSid,
            ParentKind::IfMatchedSid,
            ParentKind::IfGroup,
            ParentKind::IfMatchedGroup,
        ]
        .into_iter()
        .find(|k| k.element() == element)
    }
    pub fn names_rule_ids(self) -> bool {
        matches!(self, ParentKind::IfSid | ParentKind::IfMatchedSid)
    }
}

/// One parent reference: a rule id or a group name.
#[derive(Debug, Clone)]
pub struct ParentRef {
    pub kind: ParentKind,
    pub value: String,
    pub span: Span,
}

/// A match condition of a rule (`<match>`, `<regex>`, `<field name="x">`, ...).
#[derive(Debug, Clone)]
pub struct MatchField {
    /// Lowercase element name.
    pub element: Name,
    /// `name=` for `<field>`, `<list field=...>` and friends.
    pub name: Option<CompactString>,
    /// The text, with the file's `$VARS` applied and predefined entities decoded.
    pub value: CompactString,
    pub negate: bool,
    pub span: Span,
}

/// Which form an entry of a `<mitre>` block takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MitreEntryKind {
    /// `<id>`: the old form, any number per block.
    Id,
    /// `<tacticID>` of the pair form.
    TacticId,
    /// `<techniqueID>` of the pair form.
    TechniqueId,
    /// Any other child element (the manager discards the block).
    UnknownElement(String),
    /// Non-blank text directly inside `<mitre>` (the stock `</id>>`).
    StrayText,
}

/// One child of a `<mitre>` block.
#[derive(Debug, Clone)]
pub struct MitreEntry {
    pub kind: MitreEntryKind,
    /// The raw text of the element (or the stray text itself).
    pub value: String,
    /// The whole element (or the stray text).
    pub span: Span,
    /// The element's content, between its tags.
    pub value_span: Span,
}

/// A `<mitre>` element.
#[derive(Debug, Clone)]
pub struct MitreBlock {
    pub span: Span,
    pub entries: Vec<MitreEntry>,
}

impl MitreBlock {
    /// Technique ids as the manager would read them (`<id>` and `<techniqueID>`).
    pub fn technique_entries(&self) -> impl Iterator<Item = &MitreEntry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.kind, MitreEntryKind::Id | MitreEntryKind::TechniqueId))
    }
}

/// A rule attribute as written.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// Lowercase.
    pub name: Name,
    pub value: CompactString,
    pub span: Span,
    pub value_span: Span,
}

/// One `<rule>`.
///
/// Its lists are [`ThinVec`]s: one pointer each, and no allocation while empty, which most
/// are. A migration may hold 300,000 rules, each with eight lists.
#[derive(Debug, Clone)]
pub struct Rule {
    pub span: Span,
    /// The `<rule ...>` start tag.
    pub open_tag: Span,
    /// The rule id, when the attribute is a number the manager accepts.
    pub id: Option<u32>,
    pub level: Option<i64>,
    /// As written (`id`, `level` and the others: [`Rule::id_raw`] reads them from here).
    pub attributes: ThinVec<Attribute>,
    pub overwrite: bool,
    pub noalert: bool,
    pub parents: ThinVec<ParentRef>,
    pub description: Option<Spanned<String>>,
    /// The rule's own `<group>` names, in order.
    pub groups: ThinVec<String>,
    /// The enclosing `<group name=...>` names.
    /// Shared by every rule of one `<group>` element.
    pub enclosing_groups: std::sync::Arc<[String]>,
    pub fields: ThinVec<MatchField>,
    pub options: ThinVec<String>,
    pub info: ThinVec<Spanned<String>>,
    pub mitre: ThinVec<MitreBlock>,
    /// Where a new `<mitre>` block goes: after the `<description>` element, or else after
    /// the last child element (none: the rule has no child element).
    pub insert_after: Option<Span>,
    /// Where the XML comments between the previous sibling and this rule stand (a
    /// suppression directive applies to the rule it stands before).
    pub leading_comments: ThinVec<Span>,
}

impl Rule {
    /// All groups the rule carries, its own and its enclosing ones.
    pub fn all_groups(&self) -> impl Iterator<Item = &str> {
        self.enclosing_groups
            .iter()
            .chain(self.groups.iter())
            .map(String::as_str)
    }

    /// Whether the manager raises an alert for it (level above `min_level`, not noalert).
    pub fn alerts_at(&self, min_level: i64) -> bool {
        !self.noalert && self.level.is_some_and(|l| l >= min_level)
    }

    /// Every technique id written in the rule's `<mitre>` blocks (raw text, trimmed).
    pub fn tagged_ids(&self) -> Vec<String> {
        self.mitre
            .iter()
            .flat_map(|b| b.technique_entries())
            .map(|e| e.value.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Gives back what the lists grew beyond their length while the rule was read (a list
    /// of one field holds room for four): the model lives as long as the run.
    pub fn shrink_to_fit(&mut self) {
        self.attributes.shrink_to_fit();
        self.parents.shrink_to_fit();
        self.groups.shrink_to_fit();
        self.fields.shrink_to_fit();
        self.options.shrink_to_fit();
        self.info.shrink_to_fit();
        self.mitre.shrink_to_fit();
    }

    /// The `id` attribute as written.
    pub fn id_raw(&self) -> Option<Spanned<&str>> {
        self.attribute_value("id")
    }

    /// The `level` attribute as written.
    pub fn level_raw(&self) -> Option<Spanned<&str>> {
        self.attribute_value("level")
    }

    fn attribute_value(&self, name: &str) -> Option<Spanned<&str>> {
        self.attribute(name).map(|a| Spanned {
            value: a.value.as_str(),
            span: a.value_span,
        })
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    pub fn description_text(&self) -> &str {
        self.description.as_ref().map_or("", |d| d.value.as_str())
    }
}
