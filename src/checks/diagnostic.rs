//! What a check produces: diagnostics, and fixes as byte edits.

use crate::ruleset::Span;
use serde::Serialize;

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

#[derive(Debug, Clone)]
pub struct Fix {
    pub applicability: Applicability,
    pub description: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Safe,
            description: description.into(),
            edits,
        }
    }
    pub fn unsafe_(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Unsafe,
            description: description.into(),
            edits,
        }
    }
    pub fn display_only(description: impl Into<String>) -> Self {
        Fix {
            applicability: Applicability::DisplayOnly,
            description: description.into(),
            edits: Vec::new(),
        }
    }
}

/// One finding, pointing at exact bytes of one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Index of the file in the workspace (or in the failure list for read errors).
    pub file: usize,
    pub span: Span,
    pub rule_id: Option<u32>,
    pub message: String,
    /// Boxed: most diagnostics have none, and a file of 300,000 rules has as many
    /// diagnostics.
    pub fix: Option<Box<Fix>>,
}

/// File order, then position, then check code. A total order, so the in-place unstable sort
/// (no buffer half the size of the list) gives one answer.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let key = |d: &Diagnostic| (d.file, d.span.start, d.code, d.span.end, d.rule_id);
    diagnostics
        .sort_unstable_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message)));
}

impl Diagnostic {
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
