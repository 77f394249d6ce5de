//! The lint pass over a loaded [`Project`]: the checks, then suppressions, the baseline,
//! per-path ignores and severity overrides; and the counts for the summary and exit status.

use crate::checks::registry::{all_checks, Selection};
use crate::checks::{self, Context, Diagnostic, Severity, TechniqueChooser};
use crate::project::Project;

impl Project {
    /// Runs the selected checks, then suppressions, severity overrides and per-path ignores.
    pub fn lint(
        &self,
        selection: &Selection,
        chooser: Option<&dyn TechniqueChooser>,
    ) -> Vec<Diagnostic> {
        self.lint_files(selection, chooser, None)
    }

    /// [`Project::lint`] for the files `only` marks (all of them for `None`).
    pub fn lint_files(
        &self,
        selection: &Selection,
        chooser: Option<&dyn TechniqueChooser>,
        only: Option<&[bool]>,
    ) -> Vec<Diagnostic> {
        let ctx = Context {
            ws: &self.ws,
            replay: &self.replay,
            db: &self.db,
            attack: self.attack(),
            manager: self.manager(),
            settings: &self.settings,
            chooser,
        };
        let checks: Vec<_> = all_checks()
            .into_iter()
            .filter(|c| selection.enabled(c.info()))
            .collect();
        let found = checks::run_checks(&ctx, &checks, only);
        let mut out = checks::suppression::apply(&self.ws, found, selection);
        if let Some(only) = only {
            // Suppressions of the other files silenced nothing of this run's: not unused.
            out.retain(|d| only.get(d.file).copied().unwrap_or(false));
        }
        // Each file's ignores are matched once, not once per finding.
        let mut ignored_in: Vec<Option<Vec<&str>>> = vec![None; self.ws.files.len()];
        out.retain(|d| {
            let ignored = ignored_in[d.file].get_or_insert_with(|| {
                self.config
                    .ignored_for(&self.ws.files[d.file].file.source.path)
            });
            !ignored
                .iter()
                .any(|s| checks::registry::selects_code(s, d.code(), d.name()))
        });
        if let Some(b) = &self.baseline {
            out = b.baseline.apply(b.base(), &self.ws, out, selection);
        }
        for d in &mut out {
            if let Some(&s) = self.config.severity.get(d.code()) {
                d.severity = s;
            }
        }
        checks::diagnostic::sort(&mut out);
        out
    }
}

/// Counts for the summary line and the exit status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub rules: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// The lowest severity that fails the run (`--fail-on`); reports that have a notion of
    /// failure (JUnit) count only findings at or above it.
    pub fail_on: Severity,
}

impl Summary {
    pub fn of(project: &Project, diagnostics: &[Diagnostic]) -> Summary {
        let mut s = Summary {
            files: project.ws.linted_file_count() + project.ws.failures.len(),
            rules: project
                .ws
                .linted_rule_refs()
                .filter(|r| !project.ws.files[r.file()].file.salvaged)
                .count(),
            ..Summary::default()
        };
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s.errors += project.ws.failures.len();
        s
    }

    /// Whether anything reaches the fail level.
    pub fn fails_at(&self, level: Severity) -> bool {
        match level {
            Severity::Error => self.errors > 0,
            Severity::Warning => self.errors + self.warnings > 0,
            Severity::Info => self.errors + self.warnings + self.infos > 0,
        }
    }
}
