//! The set of files a run works on, and a replay of the manager's load order over it.
//!
//! The manager loads `ruleset/rules` before `etc/rules`, each folder's files in file-name
//! order as one flat list. A rule whose parent loads later, or was itself dropped, is
//! dropped, even though `wazuh-analysisd -t` says nothing. We replay exactly that.

use super::discover;
use super::model::{ParentKind, Rule, RuleFile};
use super::read::{read_path, LoadFailure};
use crate::fast_hash::{FastMap, FastSet};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Why a file is in the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Named on the command line: checked and reported on.
    Linted,
    /// From a `--ruleset` folder: loaded for context, never reported on.
    Ruleset,
}

#[derive(Debug)]
pub struct LoadedFile {
    pub file: RuleFile,
    pub origin: Origin,
}

/// A rule's place: file index and rule index within the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleRef {
    pub file: usize,
    pub rule: usize,
}

/// Every file of a run, in the manager's load order.
#[derive(Debug, Default)]
pub struct Workspace {
    pub files: Vec<LoadedFile>,
    /// Files that could not be read (linted ones only; ruleset failures are in `ruleset_failures`).
    pub failures: Vec<LoadFailure>,
    pub ruleset_failures: Vec<LoadFailure>,
}

impl Workspace {
    /// Reads the ruleset folders (for context) and the linted files, in load order.
    pub fn load(linted: &[PathBuf], ruleset_dirs: &[PathBuf]) -> Result<Workspace, String> {
        let mut ordered: Vec<(PathBuf, Origin)> = Vec::new();
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let linted_canon: HashSet<PathBuf> = linted.iter().map(|p| canonical(p)).collect();
        for dir in ruleset_dirs {
            for path in discover::ruleset_files(dir)? {
                let canon = canonical(&path);
                if seen.insert(canon.clone()) {
                    let origin = if linted_canon.contains(&canon) {
                        Origin::Linted
                    } else {
                        Origin::Ruleset
                    };
                    ordered.push((path, origin));
                }
            }
        }
        let mut rest: Vec<&PathBuf> = linted
            .iter()
            .filter(|p| seen.insert(canonical(p)))
            .collect();
        rest.sort_by(|a, b| a.file_name().cmp(&b.file_name()).then(a.cmp(b)));
        ordered.extend(rest.into_iter().map(|p| (p.clone(), Origin::Linted)));

        let results = read_all(&ordered);
        let mut ws = Workspace::default();
        for ((_, origin), result) in ordered.into_iter().zip(results) {
            match (result, origin) {
                (Ok(file), origin) => ws.files.push(LoadedFile { file, origin }),
                (Err(f), Origin::Linted) => {
                    // Keep what can be read, so the file's tags are still checked.
                    let salvaged = f.source.as_ref().and_then(|src| {
                        super::read::salvage(super::model::SourceFile::new(
                            src.path.clone(),
                            src.text.clone(),
                        ))
                    });
                    if let Some(file) = salvaged {
                        ws.files.push(LoadedFile {
                            file,
                            origin: Origin::Linted,
                        });
                    }
                    ws.failures.push(*f)
                }
                (Err(f), Origin::Ruleset) => ws.ruleset_failures.push(*f),
            }
        }
        Ok(ws)
    }

    pub fn rule(&self, r: RuleRef) -> &Rule {
        &self.files[r.file].file.rules[r.rule]
    }

    pub fn file_of(&self, r: RuleRef) -> &RuleFile {
        &self.files[r.file].file
    }

    /// Every rule in load order.
    pub fn rule_refs(&self) -> impl Iterator<Item = RuleRef> + '_ {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(f, lf)| (0..lf.file.rules.len()).map(move |r| RuleRef { file: f, rule: r }))
    }

    /// Linted files the manager can read (salvaged ones are counted as failures).
    pub fn linted_file_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.origin == Origin::Linted && !f.file.salvaged)
            .count()
    }

    pub fn linted_rule_refs(&self) -> impl Iterator<Item = RuleRef> + '_ {
        self.rule_refs()
            .filter(|r| self.files[r.file].origin == Origin::Linted)
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Reads files on all cores; the result keeps the input order.
fn read_all(paths: &[(PathBuf, Origin)]) -> Vec<Result<RuleFile, Box<LoadFailure>>> {
    crate::parallel::map(paths, 8, |(p, _)| read_path(p))
}

/// What the manager does with a rule at load time that loses it, or part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadEvent {
    /// The id was already loaded and this rule has no `overwrite="yes"`: the first is kept.
    DuplicateId { rule: RuleRef, first: RuleRef },
    /// `overwrite="yes"` on an id no loaded rule has.
    OverwriteMissing { rule: RuleRef },
    /// The rule names itself in `if_sid`/`if_matched_sid`.
    SelfParent { rule: RuleRef, parent: usize },
    /// The parent id exists nowhere.
    ParentNotFound { rule: RuleRef, parent: usize },
    /// The parent id is defined, but loads after this rule.
    ParentLoadsLater {
        rule: RuleRef,
        parent: usize,
        parent_rule: RuleRef,
    },
    /// The parent was itself dropped.
    ParentDropped {
        rule: RuleRef,
        parent: usize,
        parent_rule: RuleRef,
    },
    /// No rule loaded before this one carries the `if_group` group.
    GroupNotFound {
        rule: RuleRef,
        parent: usize,
        later: Option<RuleRef>,
    },
    /// Every parent of the rule is gone: the manager drops the rule.
    Dropped { rule: RuleRef },
}

/// The result of replaying the load order.
#[derive(Debug, Default)]
pub struct LoadReplay {
    /// First definition of each id (what the manager keeps).
    pub by_id: FastMap<u32, RuleRef>,
    /// Every rule carrying each group (own or enclosing), in load order.
    pub by_group: FastMap<String, Vec<RuleRef>>,
    pub dropped: FastSet<RuleRef>,
    pub events: Vec<LoadEvent>,
}

impl LoadReplay {
    /// Replays the load order. With `complete` false (no ruleset loaded), a parent that
    /// exists nowhere is assumed to be a stock rule this run does not see, and kept.
    pub fn run(ws: &Workspace, complete: bool) -> LoadReplay {
        let order: Vec<RuleRef> = ws
            .rule_refs()
            .filter(|r| !ws.files[r.file].file.salvaged)
            .collect();
        // Where each id and group first appears anywhere, to tell "later" from "nowhere".
        let mut first_def: FastMap<u32, RuleRef> = FastMap::default();
        let mut all_groups: FastMap<&str, RuleRef> = FastMap::default();
        for &r in &order {
            let rule = ws.rule(r);
            if let Some(id) = rule.id {
                first_def.entry(id).or_insert(r);
            }
            for g in rule.all_groups() {
                all_groups.entry(g).or_insert(r);
            }
        }

        let mut replay = LoadReplay::default();
        for &r in &order {
            let rule = ws.rule(r);
            if let Some(id) = rule.id {
                match replay.by_id.get(&id) {
                    Some(&first) if !rule.overwrite => {
                        replay
                            .events
                            .push(LoadEvent::DuplicateId { rule: r, first });
                        continue;
                    }
                    None if rule.overwrite => {
                        replay.events.push(LoadEvent::OverwriteMissing { rule: r })
                    }
                    _ => {}
                }
            }
            let mut kept_parents = 0;
            let mut named_parents = 0;
            for (i, p) in rule.parents.iter().enumerate() {
                // if_matched_* alone become the rule's parent; beside if_sid/if_group they are context.
                let is_context = matches!(
                    p.kind,
                    ParentKind::IfMatchedSid | ParentKind::IfMatchedGroup
                ) && rule
                    .parents
                    .iter()
                    .any(|q| matches!(q.kind, ParentKind::IfSid | ParentKind::IfGroup));
                if !is_context {
                    named_parents += 1;
                }
                let ok = if p.kind.names_rule_ids() {
                    replay.check_sid_parent(rule, r, i, &p.value, &first_def, complete)
                } else if replay.by_group.contains_key(&p.value) {
                    true
                } else {
                    let later = all_groups.get(p.value.as_str()).copied();
                    replay.events.push(LoadEvent::GroupNotFound {
                        rule: r,
                        parent: i,
                        later,
                    });
                    later.is_none() && !complete
                };
                if ok && !is_context {
                    kept_parents += 1;
                }
            }
            if named_parents > 0 && kept_parents == 0 {
                replay.dropped.insert(r);
                replay.events.push(LoadEvent::Dropped { rule: r });
                continue;
            }
            if let Some(id) = rule.id {
                replay.by_id.entry(id).or_insert(r);
            }
            for g in rule.all_groups() {
                match replay.by_group.get_mut(g) {
                    Some(rules) => rules.push(r),
                    None => {
                        replay.by_group.insert(g.to_string(), vec![r]);
                    }
                }
            }
        }
        replay
    }

    fn check_sid_parent(
        &mut self,
        rule: &Rule,
        r: RuleRef,
        i: usize,
        value: &str,
        first_def: &FastMap<u32, RuleRef>,
        complete: bool,
    ) -> bool {
        let Ok(pid) = value.parse::<u32>() else {
            self.events
                .push(LoadEvent::ParentNotFound { rule: r, parent: i });
            return false;
        };
        if Some(pid) == rule.id && self.by_id.get(&pid).is_none_or(|&f| f == r) {
            self.events
                .push(LoadEvent::SelfParent { rule: r, parent: i });
            return false;
        }
        if self.by_id.contains_key(&pid) {
            return true;
        }
        match first_def.get(&pid) {
            Some(&parent_rule) if self.dropped.contains(&parent_rule) => {
                self.events.push(LoadEvent::ParentDropped {
                    rule: r,
                    parent: i,
                    parent_rule,
                });
            }
            Some(&parent_rule) => {
                self.events.push(LoadEvent::ParentLoadsLater {
                    rule: r,
                    parent: i,
                    parent_rule,
                });
            }
            None => {
                self.events
                    .push(LoadEvent::ParentNotFound { rule: r, parent: i });
                return !complete;
            }
        }
        false
    }

    /// The rules a rule's `if_sid`/`if_group` (and `if_matched_*`) name, as loaded.
    pub fn parents_of(&self, rule: &Rule) -> Vec<RuleRef> {
        let mut out = Vec::new();
        for p in &rule.parents {
            if p.kind.names_rule_ids() {
                if let Some(r) = p
                    .value
                    .parse::<u32>()
                    .ok()
                    .and_then(|id| self.by_id.get(&id))
                {
                    out.push(*r);
                }
            } else if let Some(rs) = self.by_group.get(&p.value) {
                // A group names many rules; the first few carry its meaning.
                out.extend(rs.iter().take(8).copied());
            }
        }
        out.sort();
        out.dedup();
        out
    }
}
