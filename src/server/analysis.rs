//! One buffer linted as `lint FILE` would lint it: its folder's other rule files as its
//! deployment, the configuration found upward from it, the embedded stock index as the
//! ruleset; the buffer's unsaved text stands for the file.

use crate::checks::{Applicability, Diagnostic, Edit, Severity};
use crate::config::Config;
use crate::project::{LoadOptions, Project, StockFiles, UsageError};
use crate::ruleset::load::{LoadEvent, RuleRef};
use lsp_types as lsp;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::position::{range, uri_of};
use crate::ruleset::model::SourceFile;

/// A buffer's lint: the loaded project and its findings.
pub struct Analysis {
    pub project: Project,
    pub diagnostics: Vec<Diagnostic>,
    pub path: PathBuf,
}

/// Lints `text` as the file at `path`. `suggesting`: also load what the suggester needs
/// (ATT&CK's text, every stock file for neighbours).
pub fn analyse(path: &Path, text: &str, suggesting: bool) -> Result<Analysis, UsageError> {
    let config = match path.parent().and_then(Config::discover) {
        Some(file) => Config::load(&file)?,
        None => Config::default(),
    };
    let selection = config.selection.clone();
    let opts = LoadOptions {
        paths: vec![path.to_path_buf()],
        folder_context: true,
        attack_text: suggesting,
        stock: if suggesting {
            StockFiles::All
        } else {
            StockFiles::Needed
        },
        unsaved: vec![(path.to_path_buf(), text.to_string())],
        ..LoadOptions::default()
    };
    let project = Project::load(&opts, config)?;
    let diagnostics = project.lint(&selection, None);
    Ok(Analysis {
        project,
        diagnostics,
        path: path.to_path_buf(),
    })
}

impl Analysis {
    /// The buffer's index among the workspace's files, when it could be read.
    pub fn file(&self) -> Option<usize> {
        (self.project.ws.files.iter()).position(|lf| lf.file.source.path == self.path)
    }

    fn source(&self) -> Option<&SourceFile> {
        let file = self.file()?;
        Some(&self.project.ws.files[file].file.source)
    }

    /// The findings on the buffer, as the protocol shows them.
    pub fn lsp_diagnostics(&self) -> Vec<lsp::Diagnostic> {
        let mut out = Vec::new();
        for f in self
            .project
            .ws
            .failures
            .iter()
            .filter(|f| f.path == self.path)
        {
            // The manager's own line: where its reader stopped.
            let at = f.error.offset().unwrap_or(0);
            let range =
                (f.source.as_ref()).map_or_else(lsp::Range::default, |src| range(src, at, at));
            out.push(lsp::Diagnostic {
                range,
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                code: Some(lsp::NumberOrString::String(
                    crate::checks::registry::UNREADABLE_FILE.code.into(),
                )),
                code_description: doc_link(crate::checks::registry::UNREADABLE_FILE.name),
                source: Some("wazuh-mitre".into()),
                message: f.error.to_string(),
                ..lsp::Diagnostic::default()
            });
        }
        let (Some(file), Some(src)) = (self.file(), self.source()) else {
            return out;
        };
        for d in self.diagnostics.iter().filter(|d| d.file == file) {
            out.push(lsp::Diagnostic {
                range: range(src, d.span.start(), d.span.end()),
                severity: Some(match d.severity {
                    Severity::Error => lsp::DiagnosticSeverity::ERROR,
                    Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                    Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
                }),
                code: Some(lsp::NumberOrString::String(d.code().into())),
                code_description: doc_link(d.name()),
                source: Some("wazuh-mitre".into()),
                message: d.message.to_string(),
                related_information: self.related(d),
                ..lsp::Diagnostic::default()
            });
        }
        out
    }

    /// The other rule a load-order finding is about: the earlier rule of a duplicate id, the
    /// parent that loads later. Only rules in files on disk (not the embedded stock index).
    fn related(&self, d: &Diagnostic) -> Option<Vec<lsp::DiagnosticRelatedInformation>> {
        let me = RuleRef::new(d.file, d.rule? as usize);
        let (other, what) = self.project.replay.events.iter().find_map(|e| match *e {
            LoadEvent::DuplicateId { rule, first } if rule == me => {
                Some((first, "the rule loaded first with this id"))
            }
            LoadEvent::ParentLoadsLater {
                rule, parent_rule, ..
            } if rule == me => Some((parent_rule, "the parent, which loads later")),
            _ => None,
        })?;
        let src = &self.project.ws.files[other.file()].file.source;
        let rule = self.project.ws.rule(other);
        let uri = uri_of(&std::path::absolute(&src.path).ok()?)?;
        src.path.exists().then(|| {
            vec![lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri,
                    range: range(src, rule.open_tag.start(), rule.open_tag.end()),
                },
                message: what.into(),
            }]
        })
    }

    /// Every fix lint offers on the buffer within `wanted` (byte range), as code actions:
    /// the same edits `fix` applies, preferred when safe.
    pub fn fix_actions(&self, uri: &lsp::Uri, wanted: (usize, usize)) -> Vec<lsp::CodeAction> {
        let (Some(file), Some(src)) = (self.file(), self.source()) else {
            return Vec::new();
        };
        let diagnostics = self.lsp_diagnostics();
        let mut out = Vec::new();
        for d in self.diagnostics.iter().filter(|d| d.file == file) {
            let touches = d.span.start() <= wanted.1 && wanted.0 <= d.span.end();
            let Some(fix) = d.fix.as_ref().filter(|f| touches && !f.edits.is_empty()) else {
                continue;
            };
            let shown: Vec<lsp::Diagnostic> = (diagnostics.iter())
                .filter(|x| x.range == range(src, d.span.start(), d.span.end()))
                .filter(|x| x.code == Some(lsp::NumberOrString::String(d.code().into())))
                .cloned()
                .collect();
            out.push(lsp::CodeAction {
                title: format!("{}: {}", d.code(), fix.description),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(shown),
                edit: Some(workspace_edit(uri, src, &fix.edits)),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..lsp::CodeAction::default()
            });
        }
        out
    }

    /// For an untagged rule under `at` (byte offset): adding each of the suggester's first
    /// three techniques, with its confidence and first reason.
    pub fn tag_actions(&self, uri: &lsp::Uri, at: usize) -> Vec<lsp::CodeAction> {
        let (Some(file), Some(src)) = (self.file(), self.source()) else {
            return Vec::new();
        };
        let Some(r) = self
            .rule_at(file, at)
            .filter(|&r| self.project.ws.rule(r).mitre.is_empty())
        else {
            return Vec::new();
        };
        let rule = self.project.ws.rule(r);
        let suggester = crate::suggest::Suggester::new(&self.project);
        let mut out = Vec::new();
        for s in suggester.suggest(r, &Default::default(), 3) {
            // The edit `fix --add-tags` makes: the same insertion code.
            let Some(edit) = crate::rewrite::insert::add_block(
                &src.text,
                rule,
                std::slice::from_ref(&s.technique),
            ) else {
                continue;
            };
            let why = s
                .reasons
                .first()
                .map_or(String::new(), |r| format!(": {}", r.detail));
            out.push(lsp::CodeAction {
                title: format!(
                    "Add {} {} ({}{why})",
                    s.technique,
                    s.name,
                    s.confidence.as_str()
                ),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                edit: Some(workspace_edit(uri, src, &[edit])),
                ..lsp::CodeAction::default()
            });
        }
        out
    }

    /// Whether byte `at` is inside a rule of the buffer that carries no `<mitre>` block.
    pub fn untagged_rule_at(&self, at: usize) -> bool {
        (self.file())
            .and_then(|file| self.rule_at(file, at))
            .is_some_and(|r| self.project.ws.rule(r).mitre.is_empty())
    }

    /// The rule of the buffer whose text holds byte `at`.
    pub fn rule_at(&self, file: usize, at: usize) -> Option<RuleRef> {
        let rules = &self.project.ws.files[file].file.rules;
        let i = rules
            .iter()
            .position(|r| r.span.start() <= at && at <= r.span.end())?;
        Some(RuleRef::new(file, i))
    }
}

fn workspace_edit(uri: &lsp::Uri, src: &SourceFile, edits: &[Edit]) -> lsp::WorkspaceEdit {
    let edits = edits
        .iter()
        .map(|e| lsp::TextEdit {
            range: range(src, e.span.start(), e.span.end()),
            new_text: e.replacement.clone(),
        })
        .collect();
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..lsp::WorkspaceEdit::default()
    }
}

fn doc_link(name: &str) -> Option<lsp::CodeDescription> {
    crate::report::check_url(name)
        .parse()
        .ok()
        .map(|href| lsp::CodeDescription { href })
}
