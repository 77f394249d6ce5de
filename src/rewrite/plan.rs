//! The fix loop: lint, take the fixes allowed, add suggested tags, apply, verify, and lint
//! again until nothing more can be fixed.

use super::edits;
use super::insert::add_block;
use super::verify::{verify, VerifyError};
use crate::checks::registry::Selection;
use crate::checks::{Applicability, Change, Edit, TechniqueChooser, MISSING_TECHNIQUE};
use crate::project::Project;
use crate::ruleset::load::{Origin, RuleRef};
use crate::suggest::{tags_to_write, Confidence, Suggester};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Fixes can enable further fixes (a replaced id becomes a duplicate), and tags added to one
/// rule are evidence for its children and look-alikes; passes repeat until nothing changes,
/// so that a second run has nothing left to do. The bound keeps a bug from looping.
const MAX_PASSES: usize = 20;

#[derive(Debug, Clone)]
pub struct FixOptions {
    pub unsafe_fixes: bool,
    pub add_tags: bool,
    pub min_confidence: Confidence,
    pub selection: Selection,
    /// Every pass replays the load order and lints every file, not only those the pass
    /// before had fixes for: what those shortcuts are tested against.
    pub full_passes: bool,
}

impl Default for FixOptions {
    fn default() -> Self {
        FixOptions {
            unsafe_fixes: false,
            add_tags: false,
            min_confidence: Confidence::High,
            selection: Selection::default(),
            full_passes: false,
        }
    }
}

/// What an applied change did, as the summary counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliedKind {
    /// A check's fix.
    Fix(Change),
    /// A new `<mitre>` block with suggested techniques.
    AddTags,
}

/// One change made to a file.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The check code, or `add-tags`.
    pub code: &'static str,
    pub kind: AppliedKind,
    pub rule_id: Option<u32>,
    pub description: String,
    pub applicability: Applicability,
    /// Why, for `--explain` (suggested tags only).
    pub reasons: Vec<String>,
    /// Technique ids a new block adds.
    pub added: Vec<String>,
    /// The pass of the fix loop that made it, from 1: a later pass's suggestions may lean
    /// on tags an earlier pass wrote.
    pub pass: usize,
}

#[derive(Debug, Clone)]
pub struct FixedFile {
    pub path: PathBuf,
    pub before: String,
    pub after: String,
    pub applied: Vec<Applied>,
}

/// A rule left as it was, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub rule_id: Option<u32>,
    pub reason: String,
}

/// A file whose fix failed verification: it is not written.
#[derive(Debug, Clone)]
pub struct Refused {
    pub path: PathBuf,
    pub reason: super::verify::VerifyError,
}

#[derive(Debug, Default)]
pub struct FixPlan {
    pub files: Vec<FixedFile>,
    pub skipped: Vec<Skipped>,
    pub refused: Vec<Refused>,
}

fn allowed(a: Applicability, opts: &FixOptions) -> bool {
    match a {
        Applicability::Safe => true,
        Applicability::Unsafe => opts.unsafe_fixes,
        Applicability::DisplayOnly => false,
    }
}

/// Computes every change `fix` would make; `project` ends holding the fixed texts.
///
/// Each pass lints, collects the allowed fixes and the suggested tags ([`FixLoop::collect`]),
/// then applies and verifies them file by file ([`FixLoop::apply`]), until a pass has
/// nothing to change.
pub fn plan(project: &mut Project, opts: &FixOptions) -> FixPlan {
    let mut fix_loop = FixLoop::new(project, opts);
    // The files the next pass lints: all of them first; then, without the suggester, those
    // the pass before had fixes for. A fix changes only `<mitre>` blocks and comments
    // (`verify` holds it to that), and no check reads another file's, so the findings of
    // the other files stay what they were: findings without an applicable fix.
    let mut relint: Option<Vec<bool>> = None;
    let mut converged = false;
    for pass in 1..=MAX_PASSES {
        let per_file = fix_loop.collect(project, pass, relint.as_deref());
        if per_file.is_empty() {
            converged = true;
            break;
        }
        relint = (!wants_suggester(opts) && !opts.full_passes).then(|| {
            let mut mask = vec![false; project.ws.files.len()];
            for &file in per_file.keys() {
                mask[file] = true;
            }
            mask
        });
        fix_loop.apply(project, per_file);
    }
    fix_loop.finish(project, converged)
}

/// One pass's changes: per file, each edit with the change it belongs to.
type PassEdits = BTreeMap<usize, Vec<(Edit, Applied)>>;

/// What the fix loop keeps from pass to pass.
struct FixLoop<'o> {
    opts: &'o FixOptions,
    /// Linted files that are read whole (not salvaged): the only ones changed.
    fixable: Vec<bool>,
    /// A file's text before its first change, kept only for files that change (a migration
    /// may read thousands of files and change a few).
    originals: BTreeMap<usize, String>,
    /// Files that are not UTF-8 (shown with `?` for each such byte: writing that text back
    /// would change bytes outside the fix), and whether they were reported yet. Such files
    /// are reported, never rewritten.
    not_utf8: BTreeMap<usize, bool>,
    applied: BTreeMap<usize, Vec<Applied>>,
    /// Files whose changes failed `verify`: left as they are from then on.
    frozen: HashSet<usize>,
    /// Rules left untagged, as the last pass saw them.
    skipped: Vec<Skipped>,
    refused: Vec<Refused>,
}

impl<'o> FixLoop<'o> {
    fn new(project: &Project, opts: &'o FixOptions) -> Self {
        let fixable: Vec<bool> = (project.ws.files.iter())
            .map(|lf| lf.origin == Origin::Linted && !lf.file.salvaged)
            .collect();
        let not_utf8 = (project.ws.files.iter().enumerate())
            .filter(|(i, lf)| fixable[*i] && lf.file.not_utf8_at.is_some())
            .map(|(i, _)| (i, false))
            .collect();
        FixLoop {
            opts,
            fixable,
            originals: BTreeMap::new(),
            not_utf8,
            applied: BTreeMap::new(),
            frozen: HashSet::new(),
            skipped: Vec::new(),
            refused: Vec::new(),
        }
    }

    /// Lints (the files `relint` marks, or all) and gathers the pass's edits: the fixes
    /// allowed, and for untagged rules with `--add-tags`, suggested tags.
    fn collect(&mut self, project: &Project, pass: usize, relint: Option<&[bool]>) -> PassEdits {
        let opts = self.opts;
        self.skipped.clear();
        let mut per_file = PassEdits::new();
        let suggester = wants_suggester(opts).then(|| Suggester::new(project));
        let chooser = suggester.as_ref().map(|s| s as &dyn TechniqueChooser);
        let mut untagged: Vec<RuleRef> = Vec::new();
        for d in project.lint_files(&opts.selection, chooser, relint) {
            if !self.fixable[d.file] || self.frozen.contains(&d.file) {
                continue;
            }
            let fix =
                (d.fix.as_ref()).filter(|f| allowed(f.applicability, opts) && !f.edits.is_empty());
            if let Some(told) = self.not_utf8.get_mut(&d.file) {
                let would_change = (d.is(&MISSING_TECHNIQUE) && opts.add_tags) || fix.is_some();
                if would_change && !std::mem::replace(told, true) {
                    self.refused.push(Refused {
                        path: project.ws.files[d.file].file.source.path.clone(),
                        reason: VerifyError::NotUtf8,
                    });
                }
                continue;
            }
            if let (true, Some(rule)) = (d.is(&MISSING_TECHNIQUE), d.rule) {
                untagged.push(RuleRef::new(d.file, rule as usize));
            }
            let Some(fix) = fix else {
                continue;
            };
            for e in &fix.edits {
                per_file.entry(d.file).or_default().push((
                    e.clone(),
                    Applied {
                        code: d.check.code,
                        kind: AppliedKind::Fix(fix.change),
                        rule_id: d.rule_id,
                        description: fix.description.to_string(),
                        applicability: fix.applicability,
                        reasons: Vec::new(),
                        added: Vec::new(),
                        pass,
                    },
                ));
            }
        }
        if let (true, Some(s)) = (opts.add_tags, &suggester) {
            let ctx = AddTags {
                suggester: s,
                opts,
                pass,
            };
            ctx.add(project, untagged, &mut per_file, &mut self.skipped);
        }
        per_file
    }

    /// Applies each file's edits and keeps the result when it passes `verify`; a file that
    /// fails is refused and frozen.
    fn apply(&mut self, project: &mut Project, per_file: PassEdits) {
        let mut replaced = Vec::new();
        for (file, list) in per_file {
            let text = &project.ws.files[file].file.source.text;
            let edits_only: Vec<Edit> = list.iter().map(|(e, _)| e.clone()).collect();
            let (new_text, left) = edits::apply(text, edits_only);
            if new_text == *text {
                continue;
            }
            match verify(&project.ws.files[file].file, new_text, project.manager()) {
                Ok(new_file) => {
                    let taken = (list.into_iter())
                        .filter(|(e, _)| !left.contains(e))
                        .map(|(_, a)| a);
                    let log = self.applied.entry(file).or_default();
                    for a in taken {
                        // One fix may be several edits; report it once.
                        let seen = log.iter().any(|x| {
                            x.code == a.code
                                && x.rule_id == a.rule_id
                                && x.description == a.description
                        });
                        if !seen {
                            log.push(a);
                        }
                    }
                    self.originals.entry(file).or_insert_with(|| text.clone());
                    replaced.push((file, new_file));
                }
                Err(reason) => {
                    self.frozen.insert(file);
                    self.refused.push(Refused {
                        path: project.ws.files[file].file.source.path.clone(),
                        reason,
                    });
                }
            }
        }
        // Each replaced file passed `verify`: only its tags changed.
        if self.opts.full_passes {
            project.replace_files(replaced);
        } else {
            project.replace_tags_only(replaced);
        }
    }

    /// The plan: every file that changed, before and after, with what was applied.
    fn finish(mut self, project: &Project, converged: bool) -> FixPlan {
        let mut result = FixPlan {
            files: refused_file_fixes(project, self.opts),
            skipped: self.skipped,
            refused: self.refused,
        };
        if !converged {
            result.skipped.push(Skipped {
                path: PathBuf::new(),
                rule_id: None,
                reason: format!("fixes still changed files after {MAX_PASSES} passes; run again"),
            });
        }
        for (i, before) in self.originals {
            let lf = &project.ws.files[i];
            if lf.file.source.text != before {
                result.files.push(FixedFile {
                    path: lf.file.source.path.clone(),
                    before,
                    after: lf.file.source.text.clone(),
                    applied: self.applied.remove(&i).unwrap_or_default(),
                });
            }
        }
        result
    }
}

/// Files the manager refuses, changed by the fixes their refusal has (the XML declaration
/// removed). Nothing else of such a file is fixed in this run: it is not read as rules
/// until the manager can read it.
fn refused_file_fixes(project: &Project, opts: &FixOptions) -> Vec<FixedFile> {
    use crate::checks::registry::UNREADABLE_FILE;
    if !opts.selection.enabled(&UNREADABLE_FILE) {
        return Vec::new();
    }
    let fixes = project.ws.failures.iter().zip(&project.failure_fixes);
    fixes
        .filter_map(|(failure, fix)| {
            let fix = fix.as_ref().filter(|f| allowed(f.applicability, opts))?;
            let before = failure.source.as_ref()?.text.clone();
            // Bytes that are not UTF-8 are shown as `?`: written back, they would change.
            std::str::from_utf8(&std::fs::read(&failure.path).ok()?)
                .ok()
                .filter(|on_disk| *on_disk == before)?;
            let (after, _) = edits::apply(&before, fix.edits.clone());
            Some(FixedFile {
                path: failure.path.clone(),
                before,
                after,
                applied: vec![Applied {
                    code: UNREADABLE_FILE.code,
                    kind: AppliedKind::Fix(fix.change),
                    rule_id: None,
                    description: fix.description.to_string(),
                    applicability: fix.applicability,
                    reasons: Vec::new(),
                    added: Vec::new(),
                    // Before the loop: the file must read before any pass can run.
                    pass: 0,
                }],
            })
        })
        .collect()
}

/// Whether a run ranks techniques (`--add-tags`, or the unsafe fixes that pick one).
fn wants_suggester(opts: &FixOptions) -> bool {
    opts.add_tags || opts.unsafe_fixes
}

/// One pass's tag adding.
///
/// Tags an earlier pass wrote lend evidence like any other: on disk, a tag carries no mark
/// of who wrote it, so a second run would lend them anyway, and a run must leave that run
/// nothing to do (`eval --cold` measures what later passes add).
struct AddTags<'a> {
    suggester: &'a Suggester<'a>,
    opts: &'a FixOptions,
    pass: usize,
}

impl AddTags<'_> {
    /// Rules that `missing-technique` reports (so its minimum level, suppressions and per-path
    /// ignores hold) get a new block with the suggester's top technique(s).
    fn add(
        &self,
        project: &Project,
        targets: Vec<RuleRef>,
        per_file: &mut BTreeMap<usize, Vec<(Edit, Applied)>>,
        skipped: &mut Vec<Skipped>,
    ) {
        let (suggester, opts) = (self.suggester, self.opts);
        // All of them: a rule's named ids may rank anywhere (see `tags_to_write`).
        let all = suggester.suggest_many(&targets, &|_| HashSet::new(), usize::MAX);
        for (r, suggestions) in targets.into_iter().zip(all) {
            let rule = project.ws.rule(r);
            let path = project.ws.files[r.file()].file.source.path.clone();
            let chosen = tags_to_write(&suggestions, opts.min_confidence, project.manager());
            if chosen.is_empty() {
                let best = suggestions
                    .first()
                    .map_or("no evidence at all".to_string(), |s| {
                        let lent = if s.confidence >= opts.min_confidence {
                            format!(
                                ", but only other rules' tags make it so (the rule's own evidence: {})",
                                s.own_confidence.as_str()
                            )
                        } else {
                            String::new()
                        };
                        format!(
                            "best is {} at {:.2} ({}){lent}",
                            s.technique,
                            s.score,
                            s.confidence.as_str()
                        )
                    });
                skipped.push(Skipped {
                    path,
                    rule_id: rule.id,
                    reason: format!(
                        "no suggestion at {} confidence; {best}",
                        opts.min_confidence.as_str()
                    ),
                });
                continue;
            }
            let ids: Vec<String> = chosen.iter().map(|s| s.technique.clone()).collect();
            let text = &project.ws.files[r.file()].file.source.text;
            let Some(edit) = add_block(text, rule, &ids) else {
                skipped.push(Skipped {
                    path,
                    rule_id: rule.id,
                    reason: "no place for a <mitre> block".into(),
                });
                continue;
            };
            let reasons = chosen
                .iter()
                .flat_map(|s| {
                    let head = format!(
                        "{} {} ({:.2}, {})",
                        s.technique,
                        s.name,
                        s.score,
                        s.confidence.as_str()
                    );
                    std::iter::once(head).chain(
                        s.reasons
                            .iter()
                            .map(|r| format!("  {}: {}", r.kind.as_str(), r.detail)),
                    )
                })
                .collect();
            per_file.entry(r.file()).or_default().push((
                edit,
                Applied {
                    code: "add-tags",
                    kind: AppliedKind::AddTags,
                    rule_id: rule.id,
                    description: format!("add {}", ids.join(", ")),
                    applicability: Applicability::Unsafe,
                    reasons,
                    added: ids.clone(),
                    pass: self.pass,
                },
            ));
        }
    }
}
