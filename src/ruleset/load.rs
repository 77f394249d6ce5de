//! The set of files a run works on, and a replay of the manager's load order over it.
//!
//! The manager loads `ruleset/rules` before `etc/rules`, each folder's files in file-name
//! order as one flat list. A rule whose parent loads later, or was itself dropped, is
//! dropped, even though `wazuh-analysisd -t` says nothing. We replay exactly that.

use super::discover;
use super::model::{FileKind, ParentKind, Rule, RuleFile};
use super::read::{parse_bytes, read_path, LoadFailure};
use rustc_hash::{FxHashMap as FastMap, FxHashSet as FastSet};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Why a file is in the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Named on the command line: checked and reported on.
    Linted,
    /// From a `--ruleset` folder: loaded for context, never reported on.
    Ruleset,
    /// Another rule file of a named file's folder: loaded before or after it in the manager's
    /// file-name order, as in the deployment, and never reported on.
    Context,
}

#[derive(Debug)]
pub struct LoadedFile {
    pub file: RuleFile,
    pub origin: Origin,
}

/// A rule's place: file index and rule index within the workspace.
///
/// Two `u32`s: the replay lists every rule under each of its groups, and a migration may
/// hold 300,000 rules. A workspace holds far fewer than 4 billion files or rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleRef {
    file: u32,
    rule: u32,
}

impl RuleRef {
    /// # Panics
    /// When an index is beyond `u32`: no workspace is that large.
    pub fn new(file: usize, rule: usize) -> Self {
        let index = |i: usize| u32::try_from(i).expect("fewer than 4 billion files and rules");
        RuleRef {
            file: index(file),
            rule: index(rule),
        }
    }
    /// The file's index in the workspace.
    pub fn file(&self) -> usize {
        self.file as usize
    }
    /// The rule's index in its file.
    pub fn rule(&self) -> usize {
        self.rule as usize
    }
}

/// Every file of a run, in the manager's load order.
#[derive(Debug, Default)]
pub struct Workspace {
    pub files: Vec<LoadedFile>,
    /// Files that could not be read (linted ones only; ruleset failures are in `ruleset_failures`).
    pub failures: Vec<LoadFailure>,
    pub ruleset_failures: Vec<LoadFailure>,
    /// Files named or found that hold no rules (decoders, other XML): not linted.
    pub skipped: Vec<Skipped>,
}

/// A file a run was given that is not a rule file.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub kind: FileKind,
}

impl Skipped {
    /// What the file holds instead of rules.
    pub fn holds(&self) -> &'static str {
        match self.kind {
            FileKind::Decoders => "holds decoders, not rules",
            _ => "holds no rules (no <group> or <rule>)",
        }
    }

    /// One line for many skipped files: how many, of which kind, and the first few.
    pub fn summary(skipped: &[Skipped]) -> String {
        if let [one] = skipped {
            return format!("{} {}", one.path.display(), one.holds());
        }
        const SHOWN: usize = 3;
        let decoders = skipped
            .iter()
            .filter(|s| s.kind == FileKind::Decoders)
            .count();
        let other = skipped.len() - decoders;
        let mut parts = Vec::new();
        let files = |n: usize| if n == 1 { "file" } else { "files" };
        if decoders > 0 {
            parts.push(format!("{decoders} {} of decoders", files(decoders)));
        }
        if other > 0 {
            parts.push(format!(
                "{other} {} without <group> or <rule>",
                files(other)
            ));
        }
        let names: Vec<String> = skipped
            .iter()
            .take(SHOWN)
            .map(|s| s.path.display().to_string())
            .collect();
        let more = skipped.len().saturating_sub(SHOWN);
        let tail = if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        };
        format!("{} ({}{tail})", parts.join(" and "), names.join(", "))
    }
}

impl Workspace {
    /// Reads the ruleset folders (for context) and the linted files, in load order.
    /// Embedded ruleset files (the stock index) are put before them with `load_first`.
    pub fn load(
        linted: &[PathBuf],
        ruleset_dirs: &[PathBuf],
    ) -> Result<Workspace, discover::DiscoverError> {
        Workspace::load_with_context(linted, &[], ruleset_dirs, &[])
    }

    /// [`Workspace::load`] with `context`: files of the linted files' folders that load with
    /// them, each in its folder's file-name order, and are not reported on.
    /// `unsaved`: texts read instead of the files at those paths (an editor's buffers).
    pub fn load_with_context(
        linted: &[PathBuf],
        context: &[PathBuf],
        ruleset_dirs: &[PathBuf],
        unsaved: &[(PathBuf, String)],
    ) -> Result<Workspace, discover::DiscoverError> {
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
        let linted = linted.iter().map(|p| (p, Origin::Linted));
        let context = context.iter().map(|p| (p, Origin::Context));
        // A file both named and in a named file's folder is linted: it comes first.
        let mut rest: Vec<(&PathBuf, Origin)> = linted
            .chain(context)
            .filter(|(p, _)| seen.insert(canonical(p)))
            .collect();
        // One deployment per folder, each folder's files by file name.
        rest.sort_by(|(a, _), (b, _)| {
            a.parent()
                .cmp(&b.parent())
                .then(a.file_name().cmp(&b.file_name()))
        });
        ordered.extend(rest.into_iter().map(|(p, origin)| (p.clone(), origin)));

        let results = read_all(&ordered, unsaved);
        let mut ws = Workspace::default();
        for ((_, origin), result) in ordered.into_iter().zip(results) {
            match (result, origin) {
                (Ok(file), origin) if file.kind != FileKind::Rules => {
                    if origin == Origin::Linted {
                        let path = file.source.path;
                        ws.skipped.push(Skipped {
                            path,
                            kind: file.kind,
                        });
                    }
                }
                (Ok(file), origin) => ws.files.push(LoadedFile { file, origin }),
                (Err(f), Origin::Linted) => {
                    // Keep what can be read, so the file's tags are still checked.
                    let salvaged = f.source.as_ref().and_then(|src| {
                        super::salvage::salvage(super::model::SourceFile::new(
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
                (Err(f), Origin::Ruleset | Origin::Context) => ws.ruleset_failures.push(*f),
            }
        }
        Ok(ws)
    }

    /// Puts ruleset `files` (the embedded stock index) before every file read: they load
    /// first. Call before any `RuleRef` into the workspace is taken.
    pub fn load_first(&mut self, files: Vec<RuleFile>) {
        self.files.splice(
            0..0,
            files.into_iter().map(|file| LoadedFile {
                file,
                origin: Origin::Ruleset,
            }),
        );
    }

    pub fn rule(&self, r: RuleRef) -> &Rule {
        &self.files[r.file()].file.rules[r.rule()]
    }

    pub fn file_of(&self, r: RuleRef) -> &RuleFile {
        &self.files[r.file()].file
    }

    /// Every rule in load order.
    pub fn rule_refs(&self) -> impl Iterator<Item = RuleRef> + '_ {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(f, lf)| (0..lf.file.rules.len()).map(move |r| RuleRef::new(f, r)))
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
            .filter(|r| self.files[r.file()].origin == Origin::Linted)
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Reads files on all cores; the result keeps the input order.
fn read_all(
    paths: &[(PathBuf, Origin)],
    unsaved: &[(PathBuf, String)],
) -> Vec<Result<RuleFile, Box<LoadFailure>>> {
    use rayon::prelude::*;
    paths
        .par_iter()
        .map(|(p, _)| match unsaved.iter().find(|(u, _)| u == p) {
            Some((_, text)) => parse_bytes(p.clone(), text.clone().into_bytes()),
            None => read_path(p),
        })
        .collect()
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

/// How many of the rules an `if_group` names `parents_of` returns: the first few, in load
/// order, carry the group's meaning.
pub const GROUP_PARENTS: usize = 8;

/// A deployment unit: 0 for the `--ruleset` folders, then one per folder of files given.
pub type Unit = usize;
const BASE: Unit = 0;

/// The result of replaying the load order.
///
/// Each folder of files given is one deployment (the manager reads one flat `etc/rules`;
/// two `local_rules.xml` from two folders cannot both be there): it loads after the
/// rulesets, its files in file-name order. Ids and groups of different folders do not meet,
/// so a repository of per-team folders gives no false duplicates; a parent that only
/// another folder defines is not reported missing either.
#[derive(Debug, Default)]
pub struct LoadReplay {
    unit_of_file: Vec<Unit>,
    /// Per unit: the first definition of each id (what the manager keeps).
    ids: Vec<FastMap<u32, RuleRef>>,
    /// Per unit: every rule carrying each group (own or enclosing), in load order.
    groups: Vec<FastMap<String, Vec<RuleRef>>>,
    pub dropped: FastSet<RuleRef>,
    /// Rules that a loaded rule names in `if_sid`/`if_matched_sid`: umbrellas of children.
    pub with_children: FastSet<RuleRef>,
    pub events: Vec<LoadEvent>,
}

/// Where ids and groups first appear, per unit and anywhere, to tell "later" from "nowhere".
struct Definitions<'w> {
    unit_ids: Vec<FastMap<u32, RuleRef>>,
    unit_groups: Vec<FastMap<&'w str, RuleRef>>,
    any_ids: FastSet<u32>,
    any_groups: FastSet<&'w str>,
}

/// How the manager matches `if_group` (os_regex's OS_Match): `|` separates alternatives,
/// each found case-insensitively anywhere in the group name, or at its start after `^`.
pub fn group_pattern_matches(pattern: &str, group: &str) -> bool {
    GroupPattern::new(pattern).matches(group)
}

/// An `if_group` pattern split into its alternatives once, to match many group names.
pub struct GroupPattern<'p> {
    /// (anchored at the start, text)
    alternatives: Vec<(bool, &'p [u8])>,
}

impl<'p> GroupPattern<'p> {
    pub fn new(pattern: &'p str) -> Self {
        GroupPattern {
            alternatives: pattern
                .split('|')
                .map(|alt| match alt.strip_prefix('^') {
                    Some(start) => (true, start.as_bytes()),
                    None => (false, alt.as_bytes()),
                })
                .collect(),
        }
    }

    pub fn matches(&self, group: &str) -> bool {
        let group = group.as_bytes();
        self.alternatives.iter().any(|&(anchored, alt)| {
            if anchored {
                group
                    .get(..alt.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(alt))
            } else {
                !alt.is_empty()
                    && group
                        .windows(alt.len())
                        .any(|w| w.eq_ignore_ascii_case(alt))
            }
        })
    }
}

/// Whether two group names agree spelt without case and punctuation: one name mistyped
/// (`authentication-failed` for `authentication_failed`).
pub fn same_group_squashed(a: &str, b: &str) -> bool {
    squashed(a).eq(squashed(b))
}

/// A group name's letters and digits, lowercased: names equal here are `same_group_squashed`.
pub fn squashed(name: &str) -> impl Iterator<Item = u8> + '_ {
    name.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase())
}

fn units_of(ws: &Workspace) -> Vec<Unit> {
    let mut dirs: Vec<Option<&Path>> = Vec::new();
    ws.files
        .iter()
        .map(|lf| {
            if lf.origin == Origin::Ruleset {
                return BASE;
            }
            let dir = lf.file.source.path.parent();
            match dirs.iter().position(|d| *d == dir) {
                Some(i) => i + 1,
                None => {
                    dirs.push(dir);
                    dirs.len()
                }
            }
        })
        .collect()
}

impl LoadReplay {
    /// Replays the load order. With `complete` false (no ruleset loaded), a parent that
    /// exists nowhere is assumed to be a stock rule this run does not see, and kept.
    pub fn run(ws: &Workspace, complete: bool) -> LoadReplay {
        let unit_of_file = units_of(ws);
        let units = unit_of_file.iter().copied().max().unwrap_or(BASE) + 1;
        let order: Vec<RuleRef> = ws
            .rule_refs()
            .filter(|r| !ws.files[r.file()].file.salvaged)
            .collect();
        // The id tables made at their size: growing them rehashed every id several times.
        let mut rules_in_unit = vec![0; units];
        for r in &order {
            rules_in_unit[unit_of_file[r.file()]] += 1;
        }
        let id_tables = || -> Vec<FastMap<u32, RuleRef>> {
            let sized = |n: usize| FastMap::with_capacity_and_hasher(n, Default::default());
            rules_in_unit.iter().map(|&n| sized(n)).collect()
        };
        let mut defs = Definitions {
            unit_ids: id_tables(),
            unit_groups: vec![FastMap::default(); units],
            any_ids: FastSet::with_capacity_and_hasher(order.len(), Default::default()),
            any_groups: FastSet::default(),
        };
        for &r in &order {
            let rule = ws.rule(r);
            let u = unit_of_file[r.file()];
            if let Some(id) = rule.id {
                // An overwrite changes a rule defined elsewhere (usually the stock ruleset);
                // it is not where the id comes from, so it cannot "load later" than a child.
                if !rule.overwrite {
                    defs.unit_ids[u].entry(id).or_insert(r);
                }
                defs.any_ids.insert(id);
            }
            for g in rule.all_groups() {
                defs.unit_groups[u].entry(g).or_insert(r);
                defs.any_groups.insert(g);
            }
        }

        let mut replay = LoadReplay {
            unit_of_file,
            ids: id_tables(),
            groups: vec![FastMap::default(); units],
            ..LoadReplay::default()
        };
        for &r in &order {
            let rule = ws.rule(r);
            let u = replay.unit_of_file[r.file()];
            if let Some(id) = rule.id {
                match replay.rule_by_id(r, id) {
                    Some(first) if !rule.overwrite => {
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
                    replay.check_sid_parent(rule, r, i, &p.value, &defs, complete)
                } else {
                    replay.check_group_parent(r, i, &p.value, &defs, complete)
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
                replay.ids[u].entry(id).or_insert(r);
            }
            for g in rule.all_groups() {
                match replay.groups[u].get_mut(g) {
                    Some(rules) => rules.push(r),
                    None => {
                        replay.groups[u].insert(g.to_string(), vec![r]);
                    }
                }
            }
        }
        replay
    }

    fn unit(&self, r: RuleRef) -> Unit {
        self.unit_of_file.get(r.file()).copied().unwrap_or(BASE)
    }

    /// The first loaded rule with this id, as `from`'s deployment sees it (the rulesets load
    /// first, so a stock rule is found before a custom `overwrite="yes"` of it).
    pub fn rule_by_id(&self, from: RuleRef, id: u32) -> Option<RuleRef> {
        let u = self.unit(from);
        self.ids
            .get(BASE)
            .and_then(|m| m.get(&id))
            .or_else(|| self.ids.get(u).and_then(|m| m.get(&id)))
            .copied()
    }

    /// The loaded rules an `if_group` pattern names, as `from`'s deployment sees them, in
    /// load order.
    pub fn rules_in_group(&self, from: RuleRef, pattern: &str) -> Vec<RuleRef> {
        let compiled = GroupPattern::new(pattern);
        let mut out: Vec<RuleRef> = Vec::new();
        for table in self.group_tables(from) {
            match table.get(pattern) {
                Some(rules) => out.extend(rules),
                None => out.extend(
                    table
                        .iter()
                        .filter(|(name, _)| compiled.matches(name))
                        .flat_map(|(_, rules)| rules),
                ),
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Whether `rules_in_group` would find any rule, without listing them.
    fn any_rule_in_group(&self, from: RuleRef, pattern: &str) -> bool {
        let compiled = GroupPattern::new(pattern);
        self.group_tables(from)
            .any(|table| match table.get(pattern) {
                Some(rules) => !rules.is_empty(),
                None => table.keys().any(|name| compiled.matches(name)),
            })
    }

    /// Every group name `from`'s deployment has loaded.
    pub fn group_names(&self, from: RuleRef) -> impl Iterator<Item = &str> {
        self.group_tables(from)
            .flat_map(|m| m.keys().map(String::as_str))
    }

    /// The group tables `from`'s deployment sees: the rulesets', then its own.
    fn group_tables(&self, from: RuleRef) -> impl Iterator<Item = &FastMap<String, Vec<RuleRef>>> {
        let u = self.unit(from);
        std::iter::once(BASE)
            .chain((u != BASE).then_some(u))
            .filter_map(|x| self.groups.get(x))
    }

    fn check_sid_parent(
        &mut self,
        rule: &Rule,
        r: RuleRef,
        i: usize,
        value: &str,
        defs: &Definitions,
        complete: bool,
    ) -> bool {
        let Ok(pid) = value.parse::<u32>() else {
            self.events
                .push(LoadEvent::ParentNotFound { rule: r, parent: i });
            return false;
        };
        let loaded = self.rule_by_id(r, pid);
        if Some(pid) == rule.id && loaded.is_none_or(|f| f == r) {
            self.events
                .push(LoadEvent::SelfParent { rule: r, parent: i });
            return false;
        }
        if let Some(parent) = loaded {
            self.with_children.insert(parent);
            return true;
        }
        let u = self.unit(r);
        let defined = defs.unit_ids[u]
            .get(&pid)
            .or_else(|| defs.unit_ids[BASE].get(&pid))
            .copied();
        match defined {
            Some(parent_rule) if self.dropped.contains(&parent_rule) => {
                self.events.push(LoadEvent::ParentDropped {
                    rule: r,
                    parent: i,
                    parent_rule,
                });
            }
            Some(parent_rule) => {
                self.events.push(LoadEvent::ParentLoadsLater {
                    rule: r,
                    parent: i,
                    parent_rule,
                });
            }
            // Another folder defines it: deployed together, it would be there.
            None if defs.any_ids.contains(&pid) => return true,
            None => {
                self.events
                    .push(LoadEvent::ParentNotFound { rule: r, parent: i });
                return !complete;
            }
        }
        false
    }

    fn check_group_parent(
        &mut self,
        r: RuleRef,
        i: usize,
        pattern: &str,
        defs: &Definitions,
        complete: bool,
    ) -> bool {
        if self.any_rule_in_group(r, pattern) {
            return true;
        }
        let u = self.unit(r);
        let compiled = GroupPattern::new(pattern);
        let first_in = |table: &FastMap<&str, RuleRef>| -> Option<RuleRef> {
            table.get(pattern).copied().or_else(|| {
                table
                    .iter()
                    .filter(|(name, _)| compiled.matches(name))
                    .map(|(_, r)| *r)
                    .min()
            })
        };
        // The rule's own <group> does not make it its own parent: a first carrier that is the
        // rule itself is no "rule that loads later".
        let later = first_in(&defs.unit_groups[u])
            .or_else(|| first_in(&defs.unit_groups[BASE]))
            .filter(|&first| first != r);
        let anywhere = defs.any_groups.contains(pattern)
            || defs.any_groups.iter().any(|g| compiled.matches(g));
        if later.is_none() && anywhere {
            // Another folder carries it: deployed together, it would be there.
            return true;
        }
        self.events.push(LoadEvent::GroupNotFound {
            rule: r,
            parent: i,
            later,
        });
        later.is_none() && !complete
    }

    /// The rules a rule's `if_sid`/`if_group` (and `if_matched_*`) name, as loaded.
    pub fn parents_of(&self, ws: &Workspace, r: RuleRef) -> Vec<RuleRef> {
        let mut out = Vec::new();
        for p in &ws.rule(r).parents {
            if p.kind.names_rule_ids() {
                if let Some(x) = p
                    .value
                    .parse::<u32>()
                    .ok()
                    .and_then(|id| self.rule_by_id(r, id))
                {
                    out.push(x);
                }
            } else {
                // A group names many rules; the first few carry its meaning.
                out.extend(
                    self.rules_in_group(r, &p.value)
                        .into_iter()
                        .take(GROUP_PARENTS),
                );
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::group_pattern_matches as m;

    #[test]
    fn if_group_matches_as_the_manager_does() {
        assert!(m("sysmon_event1", "sysmon_event1"));
        assert!(m("web|attack", "attack"));
        assert!(m("Authentication_Failed", "authentication_failed"));
        // A substring matches: `sysmon_event_1` names sysmon_event_10..19.
        assert!(m("sysmon_event_1", "sysmon_event_11"));
        assert!(!m("sysmon_event_7", "sysmon_event7"));
        assert!(m("^sysmon", "sysmon_event7"));
        assert!(!m("^event", "sysmon_event7"));
    }
}
