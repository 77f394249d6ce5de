//! Measuring the suggester honestly: leave-one-out over every tagged rule.
//!
//! For each rule that carries tags, its tags (and those of its near-copies) are hidden
//! from every evidence source, the suggester ranks techniques, and the hidden tags are the
//! answer. Techniques are compared at technique level (T1059.001 ~ T1059).

use super::accepted::Accepted;
use super::{tags_to_write, technique_tags, Confidence, Suggester};
use crate::attack::ids::parent_technique;
use crate::project::Project;
use crate::ruleset::load::{Origin, RuleRef};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Figures for one folder (or the total).
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvalRow {
    pub folder: String,
    pub rules: usize,
    pub hit_at_1: usize,
    pub hit_at_3: usize,
    pub hit_at_5: usize,
    /// High-confidence suggestions made, and how many were right.
    pub high_suggestions: usize,
    pub high_correct: usize,
    /// Rules that got at least one high-confidence suggestion.
    pub rules_with_high: usize,
    /// What `fix --add-tags` would write, at high and at medium confidence: rules that
    /// get a block, ids written, and how many of those are right.
    pub write_high: Written,
    pub write_medium: Written,
    /// The same figures where a reviewed label (`--accept`) also counts as right; `None`
    /// without reviewed labels.
    pub reviewed: Option<Reviewed>,
}

/// Figures counting right what is one of the rule's tags or accepted by the review.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Reviewed {
    /// Evaluated rules the review judged (any verdict): what it covers.
    pub rules_reviewed: usize,
    pub hit_at_1: usize,
    pub hit_at_3: usize,
    pub hit_at_5: usize,
    pub high_correct: usize,
    pub write_high_right: usize,
    pub write_medium_right: usize,
}

impl Reviewed {
    fn add(&mut self, o: &Reviewed) {
        self.rules_reviewed += o.rules_reviewed;
        self.hit_at_1 += o.hit_at_1;
        self.hit_at_3 += o.hit_at_3;
        self.hit_at_5 += o.hit_at_5;
        self.high_correct += o.high_correct;
        self.write_high_right += o.write_high_right;
        self.write_medium_right += o.write_medium_right;
    }
}

/// What `fix --add-tags` would write over the evaluated rules at one confidence.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Written {
    pub rules: usize,
    pub ids: usize,
    pub right: usize,
    /// Rules that write a technique id themselves, and how many of them got exactly the
    /// techniques they name.
    pub naming_rules: usize,
    pub naming_rules_exact: usize,
}

impl Written {
    fn add(&mut self, o: &Written) {
        self.rules += o.rules;
        self.ids += o.ids;
        self.right += o.right;
        self.naming_rules += o.naming_rules;
        self.naming_rules_exact += o.naming_rules_exact;
    }
}

/// One rule's ranking, and what `fix --add-tags` would write at high and at medium.
pub struct Ranked {
    pub list: Vec<(String, Confidence)>,
    pub write_high: Vec<String>,
    pub write_medium: Vec<String>,
    /// The technique ids the rule writes itself.
    pub named: Vec<String>,
}

impl EvalRow {
    pub fn rate(n: usize, d: usize) -> f64 {
        if d == 0 {
            0.0
        } else {
            n as f64 / d as f64
        }
    }
    fn add(&mut self, o: &EvalRow) {
        self.rules += o.rules;
        self.hit_at_1 += o.hit_at_1;
        self.hit_at_3 += o.hit_at_3;
        self.hit_at_5 += o.hit_at_5;
        self.high_suggestions += o.high_suggestions;
        self.high_correct += o.high_correct;
        self.rules_with_high += o.rules_with_high;
        self.write_high.add(&o.write_high);
        self.write_medium.add(&o.write_medium);
        if let Some(r) = &o.reviewed {
            self.reviewed.get_or_insert_with(Reviewed::default).add(r);
        }
    }
}

/// Rules with the same description and fields are copies, also when their `<location>`,
/// level, ids or parents differ: hide them together.
fn copy_key(project: &Project, r: RuleRef) -> String {
    let rule = project.ws.rule(r);
    let mut key = rule.description_text().trim().to_string();
    for f in rule.fields.iter().filter(|f| f.element != "location") {
        key.push_str(&format!(
            "|{}:{}={}",
            f.element,
            f.name.as_deref().unwrap_or(""),
            f.value
        ));
    }
    key
}

/// A technique-level key for comparing suggestions with gold tags.
fn family(project: &Project, id: &str) -> Vec<String> {
    let mut out = vec![parent_technique(id).to_string()];
    if let Some(cur) = project
        .attack()
        .resolve(id)
        .and_then(|r| r.current().map(|t| t.id.clone()))
    {
        let p = parent_technique(&cur).to_string();
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// What a suggestion for one rule is judged against, at technique level: the rule's own tags,
/// and those with the techniques a review accepted for it.
struct Answer {
    tags: HashSet<String>,
    reviewed: HashSet<String>,
}

impl Answer {
    fn of(project: &Project, accepted: &Accepted, tags: &[String], rule_id: Option<u32>) -> Self {
        let tags: HashSet<String> = tags.iter().flat_map(|t| family(project, t)).collect();
        let reviewed = (tags.iter().cloned())
            .chain(accepted.of(rule_id).flat_map(|a| family(project, a)))
            .collect();
        Answer { tags, reviewed }
    }

    /// Whether `id` is one of the rule's tags.
    fn right(&self, project: &Project, id: &str) -> bool {
        family(project, id).iter().any(|f| self.tags.contains(f))
    }

    /// Whether `id` is one of its tags or accepted by the review.
    fn accepted(&self, project: &Project, id: &str) -> bool {
        family(project, id)
            .iter()
            .any(|f| self.reviewed.contains(f))
    }
}

/// How tags are hidden while a rule is ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// The rule's own tags and those of its copies (leave-one-out).
    #[default]
    LeaveOneOut,
    /// Every tag of the evaluated files at once: only embedded knowledge and `--ruleset`
    /// tags lend anything, as for a new user's untagged rules.
    Cold,
}

/// The suggester, under `protocol`.
/// `accepted`: reviewed labels that also count as right (may be empty).
pub fn evaluate(
    project: &Project,
    suggester: &Suggester,
    protocol: Protocol,
    accepted: &Accepted,
) -> Vec<EvalRow> {
    let manager = project.manager();
    score(project, protocol, accepted, &|rules, hidden_for| {
        suggester
            // All of them: a rule's named ids may rank anywhere (see `tags_to_write`).
            .suggest_many(rules, hidden_for, usize::MAX)
            .into_iter()
            .map(|list| {
                let ids = |min| -> Vec<String> {
                    tags_to_write(&list, min, manager)
                        .into_iter()
                        .map(|s| s.technique.clone())
                        .collect()
                };
                Ranked {
                    write_high: ids(Confidence::High),
                    write_medium: ids(Confidence::Medium),
                    named: list
                        .iter()
                        .filter(|s| s.named)
                        .map(|s| s.technique.clone())
                        .collect(),
                    list: list
                        .iter()
                        .map(|s| (s.technique.clone(), s.confidence))
                        .collect(),
                }
            })
            .collect()
    })
}

/// The baseline to beat: BM25 of the rule's description against ATT&CK names and
/// descriptions, nothing else. It has no confidence, so no high-confidence figures.
pub fn evaluate_baseline(project: &Project, accepted: &Accepted) -> Vec<EvalRow> {
    let index = crate::attack::search::SearchIndex::build(project.attack(), project.db.text());
    score(project, Protocol::LeaveOneOut, accepted, &|rules, _| {
        rules
            .iter()
            .map(|&r| Ranked {
                list: index
                    .search(project.ws.rule(r).description_text(), 5)
                    .into_iter()
                    .map(|(id, _)| (id, Confidence::Low))
                    .collect(),
                write_high: Vec::new(),
                write_medium: Vec::new(),
                named: Vec::new(),
            })
            .collect()
    })
}

/// Ranks every tagged rule with `rank` (hiding its tags and its copies') and scores it.
type Ranker<'a> =
    dyn Fn(&[RuleRef], &(dyn Fn(RuleRef) -> HashSet<RuleRef> + Sync)) -> Vec<Ranked> + 'a;

fn score(
    project: &Project,
    protocol: Protocol,
    accepted: &Accepted,
    rank: &Ranker,
) -> Vec<EvalRow> {
    let mut copies: HashMap<String, Vec<RuleRef>> = HashMap::new();
    for r in project.ws.rule_refs() {
        copies.entry(copy_key(project, r)).or_default().push(r);
    }
    let evaluated: Vec<RuleRef> = project
        .ws
        .linted_rule_refs()
        .filter(|&r| {
            let file = &project.ws.files[r.file()];
            file.origin == Origin::Linted
                && !file.file.salvaged
                && !technique_tags(project, r).is_empty()
        })
        .collect();
    let every_linted: HashSet<RuleRef> = project.ws.linted_rule_refs().collect();
    let hidden_for = |r: RuleRef| -> HashSet<RuleRef> {
        match protocol {
            Protocol::Cold => every_linted.clone(),
            Protocol::LeaveOneOut => copies
                .get(&copy_key(project, r))
                .into_iter()
                .flatten()
                .copied()
                .collect(),
        }
    };
    let all = rank(&evaluated, &hidden_for);
    let mut rows: BTreeMap<String, EvalRow> = BTreeMap::new();
    for (r, ranked) in evaluated.into_iter().zip(all) {
        let suggestions = &ranked.list;
        let file = &project.ws.files[r.file()];
        let rule_id = project.ws.rule(r).id;
        let answer = Answer::of(project, accepted, &technique_tags(project, r), rule_id);
        let right = |id: &str| answer.right(project, id);
        let accepted_right = |id: &str| answer.accepted(project, id);
        let hit_within = |k: usize| suggestions.iter().take(k).any(|s| right(&s.0));
        let reviewed_hit = |k: usize| suggestions.iter().take(k).any(|s| accepted_right(&s.0));
        let folder = file
            .file
            .source
            .path
            .parent()
            .map(crate::ruleset::paths::display_path)
            .unwrap_or_default();
        let row = rows.entry(folder.clone()).or_insert_with(|| EvalRow {
            folder,
            ..EvalRow::default()
        });
        row.rules += 1;
        row.hit_at_1 += hit_within(1) as usize;
        row.hit_at_3 += hit_within(3) as usize;
        row.hit_at_5 += hit_within(5) as usize;
        let high: Vec<_> = suggestions
            .iter()
            .filter(|s| s.1 == Confidence::High)
            .collect();
        row.high_suggestions += high.len();
        row.high_correct += high.iter().filter(|s| right(&s.0)).count();
        row.rules_with_high += (!high.is_empty()) as usize;
        if !accepted.is_empty() {
            let rev = row.reviewed.get_or_insert_with(Reviewed::default);
            rev.rules_reviewed += accepted.covers(rule_id) as usize;
            rev.hit_at_1 += reviewed_hit(1) as usize;
            rev.hit_at_3 += reviewed_hit(3) as usize;
            rev.hit_at_5 += reviewed_hit(5) as usize;
            rev.high_correct += high.iter().filter(|s| accepted_right(&s.0)).count();
            let count = |ids: &[String]| ids.iter().filter(|id| accepted_right(id)).count();
            rev.write_high_right += count(&ranked.write_high);
            rev.write_medium_right += count(&ranked.write_medium);
        }
        for (written, ids) in [
            (&mut row.write_high, &ranked.write_high),
            (&mut row.write_medium, &ranked.write_medium),
        ] {
            written.rules += (!ids.is_empty()) as usize;
            written.ids += ids.len();
            written.right += ids.iter().filter(|id| right(id)).count();
            if !ranked.named.is_empty() {
                written.naming_rules += 1;
                let mut a = ids.clone();
                let mut b = ranked.named.clone();
                a.sort();
                b.sort();
                written.naming_rules_exact += (a == b) as usize;
            }
        }
    }
    let mut out: Vec<EvalRow> = rows.into_values().collect();
    if out.len() > 1 {
        let mut total = EvalRow {
            folder: "(all)".into(),
            ..EvalRow::default()
        };
        for r in &out {
            total.add(r);
        }
        out.push(total);
    }
    out
}

/// What `fix --add-tags` writes on rules that had tags, one pass of the fix loop or more.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PassWritten {
    pub rules: usize,
    pub ids: usize,
    /// Ids among the rule's own (hidden) tags, at technique level.
    pub right: usize,
    /// Ids among its tags or the reviewed labels (`--accept`).
    pub reviewed_right: usize,
}

/// `fix --add-tags` run for real on the evaluated files with every `<mitre>` block taken
/// out, split by pass: the first pass leans on no tag this run wrote, later passes may.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct AddTagsPasses {
    /// Rules that had tags (the ones judged).
    pub rules: usize,
    pub first: PassWritten,
    pub later: PassWritten,
}

/// Runs the fix loop's tag adding at `min_confidence` on `project` (whose files are changed
/// in memory, never on disk) after taking every tag out, and judges what it writes against
/// the tags taken out and `accepted`.
pub fn add_tags_by_pass(
    project: &mut Project,
    accepted: &Accepted,
    min_confidence: Confidence,
) -> AddTagsPasses {
    use crate::rewrite::plan::{plan, AppliedKind, FixOptions};
    // What each tagged rule is judged against, by (file, rule id).
    let mut gold: HashMap<(usize, u32), Answer> = HashMap::new();
    for r in project.ws.linted_rule_refs() {
        let file = &project.ws.files[r.file()];
        let tags = technique_tags(project, r);
        let Some(id) = project.ws.rule(r).id else {
            continue;
        };
        if file.file.salvaged || tags.is_empty() {
            continue;
        }
        gold.insert(
            (r.file(), id),
            Answer::of(project, accepted, &tags, Some(id)),
        );
    }
    let mut out = AddTagsPasses {
        rules: gold.len(),
        ..AddTagsPasses::default()
    };
    strip_tags(project);
    let opts = FixOptions {
        add_tags: true,
        min_confidence,
        ..FixOptions::default()
    };
    let fixed = plan(project, &opts);
    for f in &fixed.files {
        let Some(file) = project
            .ws
            .files
            .iter()
            .position(|lf| lf.file.source.path == f.path)
        else {
            continue;
        };
        for a in f.applied.iter().filter(|a| a.kind == AppliedKind::AddTags) {
            let Some(answer) = a.rule_id.and_then(|id| gold.get(&(file, id))) else {
                continue;
            };
            let counts = if a.pass <= 1 {
                &mut out.first
            } else {
                &mut out.later
            };
            counts.rules += 1;
            counts.ids += a.added.len();
            counts.right += a
                .added
                .iter()
                .filter(|id| answer.right(project, id))
                .count();
            counts.reviewed_right += (a.added.iter())
                .filter(|id| answer.accepted(project, id))
                .count();
        }
    }
    out
}

/// Takes every `<mitre>` block out of the linted files, in memory.
fn strip_tags(project: &mut Project) {
    use crate::checks::Edit;
    use crate::ruleset::model::SourceFile;
    let mut stripped = Vec::new();
    for (i, lf) in project.ws.files.iter().enumerate() {
        if lf.origin != Origin::Linted || lf.file.salvaged {
            continue;
        }
        let edits: Vec<Edit> = (lf.file.rules.iter())
            .flat_map(|r| r.mitre.iter())
            .map(|b| Edit::replace(b.span, ""))
            .collect();
        if edits.is_empty() {
            continue;
        }
        let (text, _) = crate::rewrite::edits::apply(&lf.file.source.text, edits);
        let source = SourceFile::new(lf.file.source.path.clone(), text);
        if let Ok(file) = crate::ruleset::read::parse(source) {
            stripped.push((i, file));
        }
    }
    project.replace_files(stripped);
}
