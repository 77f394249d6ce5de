//! What a check produces: diagnostics, and fixes as byte edits.

use crate::ruleset::Span;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    /// The default fail level (`--fail-on`).
    #[default]
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" | "information" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// How safe a fix is to apply without a human reading it (ruff's applicability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown, never applied: the right change needs a human.
    DisplayOnly,
    /// Applied only with `--unsafe-fixes`: it may change what the rule means.
    Unsafe,
    /// Applied by `fix --write`: it keeps the rule's meaning.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }
    pub fn delete(span: Span) -> Self {
        Edit::replace(span, "")
    }
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit::replace(Span::new(at, at), text)
    }
}

/// What a fix does to a file, as `fix`'s summary counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Writes an id (or other text) in place of what stands there.
    ReplacesId,
    /// Takes something out: an entry, a block, a comment, a declaration.
    RemovesEntry,
}

impl Change {
    /// Deletions remove; anything that writes text replaces.
    fn of(edits: &[Edit]) -> Change {
        if !edits.is_empty() && edits.iter().all(|e| e.replacement.is_empty()) {
            Change::RemovesEntry
        } else {
            Change::ReplacesId
        }
    }
}

#[derive(Debug, Clone)]
pub struct Fix {
    pub applicability: Applicability,
    pub description: Cow<'static, str>,
    pub edits: Vec<Edit>,
    pub change: Change,
}

impl Fix {
    fn new(
        applicability: Applicability,
        description: impl Into<Cow<'static, str>>,
        edits: Vec<Edit>,
    ) -> Self {
        Fix {
            applicability,
            description: description.into(),
            change: Change::of(&edits),
            edits,
        }
    }
    pub fn safe(description: impl Into<Cow<'static, str>>, edits: Vec<Edit>) -> Self {
        Fix::new(Applicability::Safe, description, edits)
    }
    pub fn unsafe_(description: impl Into<Cow<'static, str>>, edits: Vec<Edit>) -> Self {
        Fix::new(Applicability::Unsafe, description, edits)
    }
    pub fn display_only(description: impl Into<Cow<'static, str>>) -> Self {
        Fix::new(Applicability::DisplayOnly, description, Vec::new())
    }
    /// A fix that removes something by rewriting a stretch (a code out of a list).
    pub fn removing(mut self) -> Self {
        self.change = Change::RemovesEntry;
        self
    }
}

/// One finding, pointing at exact bytes of one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The check that found it: its code and name (one pointer, not two strings).
    pub check: &'static super::CheckInfo,
    /// The check's severity, or the one the configuration gives it.
    pub severity: Severity,
    /// Index of the file in the workspace (or in the failure list for read errors).
    pub file: usize,
    pub span: Span,
    pub rule_id: Option<u32>,
    /// The rule's index in its file, for a finding on a rule.
    pub rule: Option<u32>,
    /// Shared: a check often says the same of many rules (see [`shared_message`]).
    pub message: Arc<str>,
    /// Behind a pointer: most diagnostics have none, and a file of 300,000 rules has as many
    /// diagnostics. Shared: a fix that only says what to do is the same for every rule.
    pub fix: Option<Arc<Fix>>,
}

/// `text` as a finding's message, shared with an equal message made shortly before on the
/// same thread. A check often says the same of many rules ("rule alerts at level 5 but
/// carries no ATT&CK technique"), and a run keeps every finding until it ends: in a file of
/// 300,000 rules, a quarter of a million copies of one sentence.
///
/// A small cache per thread, not a set of every text: messages that repeat come from the
/// same check on neighbouring rules, and a run of unique messages (each naming its rule's
/// id) costs no growing table. Per thread, so rules checked on every core share no lock.
/// Sharing never changes a message's text.
pub fn shared_message(text: &str) -> Arc<str> {
    use std::cell::RefCell;
    use std::hash::BuildHasher;
    /// More than the distinct messages checks repeat among neighbouring rules.
    const SLOTS: usize = 256;
    thread_local! {
        static RECENT: RefCell<Vec<Option<Arc<str>>>> = RefCell::new(vec![None; SLOTS]);
    }
    let slot = rustc_hash::FxBuildHasher.hash_one(text) as usize % SLOTS;
    RECENT.with_borrow_mut(|recent| match &recent[slot] {
        Some(held) if &**held == text => held.clone(),
        _ => {
            let shared: Arc<str> = Arc::from(text);
            recent[slot] = Some(shared.clone());
            shared
        }
    })
}

/// File order, then position, then check code. A total order, so the in-place unstable sort
/// (no buffer half the size of the list) gives one answer.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let key = |d: &Diagnostic| (d.file, d.span.start(), d.code(), d.span.end(), d.rule_id);
    diagnostics
        .sort_unstable_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message)));
}

impl Diagnostic {
    pub fn code(&self) -> &'static str {
        self.check.code
    }
    pub fn name(&self) -> &'static str {
        self.check.name
    }
    /// Whether `check` found it.
    pub fn is(&self, check: &super::CheckInfo) -> bool {
        std::ptr::eq(self.check, check)
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Arc::new(fix));
        self
    }
    /// A fix made once and given to every diagnostic of its kind.
    pub fn with_shared_fix(mut self, fix: &Arc<Fix>) -> Self {
        self.fix = Some(fix.clone());
        self
    }
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_messages_share_one_text_and_different_ones_do_not() {
        let level = 5;
        let a = shared_message(&format!("rule alerts at level {level}"));
        let b = shared_message("rule alerts at level 5");
        let c = shared_message("rule alerts at level 6");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(
            (&*a, &*c),
            ("rule alerts at level 5", "rule alerts at level 6")
        );
    }
}
