//! The baseline: today's findings recorded in a file, so that an existing repository can
//! adopt the hook and see only new findings (ESLint's suppressions file, ruff's
//! `--add-noqa` without touching the rule files).
//!
//! An entry counts the findings of one check on one rule of one file (rule ids survive
//! edits that move lines; line numbers do not). A rule with more findings of a check than
//! recorded has all of them reported, as no one can tell which is new. An entry that
//! records more than a linted file still has is obsolete and reported
//! (`unused-baseline-entry`), so the file stays in sync; `lint --write-baseline` rewrites it.
//!
//! ## unused-baseline-entry (WM003)
//!
//! **What it finds:** an entry of the baseline (`--baseline`, or `baseline:` in the
//! configuration) that records more findings of a check on a rule of a linted file than the
//! file still has: the old finding was fixed, or the rule is gone.
//!
//! **Why it matters:** an obsolete entry would let a new finding of the same check on that
//! rule pass unseen; the baseline stays in sync only if such entries are reported.
//!
//! **Example:** the baseline records one WM001 on rule 100200, which now carries a tag.
//!
//! **Fix:** none in the rule file: `wazuh-mitre lint --write-baseline` records the findings
//! again.

use super::registry::{Selection, UNUSED_BASELINE_ENTRY};
use super::Diagnostic;
use crate::ruleset::load::{Origin, Workspace};
use crate::ruleset::Span;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name `--write-baseline` uses when neither the command line nor the
/// configuration names one.
pub const DEFAULT_FILE: &str = ".wazuh-mitre-baseline.json";

/// What the file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

/// Findings of one check on one rule (or on the file, outside any rule).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Relative to the baseline file's folder, with `/`.
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<u32>,
    pub code: String,
    pub count: usize,
}

/// Why a baseline file could not be used.
#[derive(Debug)]
pub enum BaselineError {
    Read(PathBuf, std::io::Error),
    Parse(PathBuf, serde_json::Error),
    Version(PathBuf, u32),
}

impl std::fmt::Display for BaselineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BaselineError::Read(p, e) => write!(f, "baseline {}: cannot read: {e}", p.display()),
            BaselineError::Parse(p, e) => {
                // serde_json ends its message with the place, which stands in front here.
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or_default();
                write!(
                    f,
                    "baseline {}:{}:{}: {message} (write it again with `wazuh-mitre lint --write-baseline`)",
                    p.display(),
                    e.line(),
                    e.column()
                )
            }
            BaselineError::Version(p, v) => write!(
                f,
                "baseline {}: version {v} is not one this wazuh-mitre reads (1)",
                p.display()
            ),
        }
    }
}

impl std::error::Error for BaselineError {}

type Key = (String, Option<u32>, String);

/// A linted file's path as the baseline spells it: relative to the baseline's folder.
fn relative(base: &Path, file: &Path) -> String {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (base, file) = (canon(base), canon(file));
    let shown = file.strip_prefix(&base).unwrap_or(&file);
    shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The folder a baseline file's paths are relative to: its own.
pub fn base_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

impl Baseline {
    pub const VERSION: u32 = 1;

    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read(path).map_err(|e| BaselineError::Read(path.to_path_buf(), e))?;
        let b: Baseline = serde_json::from_slice(&text)
            .map_err(|e| BaselineError::Parse(path.to_path_buf(), e))?;
        if b.version != Baseline::VERSION {
            return Err(BaselineError::Version(path.to_path_buf(), b.version));
        }
        Ok(b)
    }

    /// The file's text: one entry per line, sorted, so that its diffs review well.
    pub fn to_json(&self) -> String {
        let entries: Vec<String> = self
            .entries
            .iter()
            .map(|e| serde_json::to_string(e).expect("entries serialise"))
            .collect();
        format!(
            "{{\"version\":{},\"entries\":[\n{}\n]}}\n",
            self.version,
            entries.join(",\n")
        )
    }

    /// This run's findings recorded over `old`: entries of the files linted now are
    /// replaced, the others kept (a run over some files leaves the rest alone).
    pub fn record(
        old: Option<&Baseline>,
        base: &Path,
        ws: &Workspace,
        found: &[Diagnostic],
    ) -> Baseline {
        let linted: Vec<String> = linted_files(ws).map(|(_, p)| relative(base, p)).collect();
        let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
        for e in old.map_or(&[][..], |b| &b.entries) {
            if !linted.contains(&e.file) {
                counts.insert((e.file.clone(), e.rule_id, e.code.clone()), e.count);
            }
        }
        for d in found {
            let file = relative(base, &ws.files[d.file].file.source.path);
            *counts
                .entry((file, d.rule_id, d.code().to_string()))
                .or_default() += 1;
        }
        Baseline {
            version: Baseline::VERSION,
            entries: counts
                .into_iter()
                .map(|((file, rule_id, code), count)| Entry {
                    file,
                    rule_id,
                    code,
                    count,
                })
                .collect(),
        }
    }

    /// The findings the baseline does not cover, and one `unused-baseline-entry` finding per
    /// entry of a linted file that records more than the file now has, when that check is
    /// selected. Entries of checks the selection did not run are not called obsolete.
    pub fn apply(
        &self,
        base: &Path,
        ws: &Workspace,
        found: Vec<Diagnostic>,
        selection: &Selection,
    ) -> Vec<Diagnostic> {
        let files: BTreeMap<String, usize> = linted_files(ws)
            .map(|(i, p)| (relative(base, p), i))
            .collect();
        let key_of = |d: &Diagnostic| -> Key {
            let file = relative(base, &ws.files[d.file].file.source.path);
            (file, d.rule_id, d.code().to_string())
        };
        let mut now: BTreeMap<Key, usize> = BTreeMap::new();
        for d in &found {
            *now.entry(key_of(d)).or_default() += 1;
        }
        let recorded: BTreeMap<Key, usize> = self
            .entries
            .iter()
            .map(|e| ((e.file.clone(), e.rule_id, e.code.clone()), e.count))
            .collect();
        let mut out: Vec<Diagnostic> = found
            .into_iter()
            .filter(|d| {
                let key = key_of(d);
                recorded.get(&key).is_none_or(|&c| now[&key] > c)
            })
            .collect();
        if !selection.enabled(&UNUSED_BASELINE_ENTRY) {
            return out;
        }
        for ((file, rule_id, code), &count) in &recorded {
            let Some(&index) = files.get(file) else {
                continue;
            };
            if !selection.runs_all(code) {
                continue;
            }
            let have = now
                .get(&(file.clone(), *rule_id, code.clone()))
                .copied()
                .unwrap_or(0);
            if have >= count {
                continue;
            }
            let lf = &ws.files[index].file;
            let at = rule_id.and_then(|id| lf.rules.iter().position(|r| r.id == Some(id)));
            let rule = at.map(|i| &lf.rules[i]);
            let on = rule_id.map_or("the file".to_string(), |id| format!("rule {id}"));
            out.push(Diagnostic {
                check: &UNUSED_BASELINE_ENTRY,
                severity: UNUSED_BASELINE_ENTRY.severity,
                file: index,
                span: rule.map_or(Span::new(0, 0), |r| r.open_tag),
                rule_id: *rule_id,
                rule: at.map(|i| i as u32),
                message: format!(
                    "the baseline records {count} {code} on {on}, and {have} remain: update it with `wazuh-mitre lint --write-baseline`"
                )
                .into(),
                fix: None,
            });
        }
        out
    }
}

fn linted_files(ws: &Workspace) -> impl Iterator<Item = (usize, &Path)> {
    ws.files
        .iter()
        .enumerate()
        .filter(|(_, lf)| lf.origin == Origin::Linted)
        .map(|(i, lf)| (i, lf.file.source.path.as_path()))
}
