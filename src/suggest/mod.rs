//! Suggestion: rank the ATT&CK techniques a rule most likely detects, with reasons.
//!
//! One file per evidence source ([`explicit`], [`parents`], [`hints`], [`attack_text`],
//! [`similar`], [`public`], [`software`]); each says why. [`scorer`] is the only place that weighs them.

pub mod accepted;
pub mod attack_text;
pub mod eval;
pub mod evidence;
pub mod explicit;
pub mod facts;
pub mod hints;
pub mod names;
pub mod parents;
pub mod public;
pub mod public_table;
pub mod scorer;
pub mod similar;
pub mod software;

pub use evidence::{Evidence, EvidenceKind};
pub use scorer::{Confidence, Reason, Suggestion};

use crate::attack::ids::{classify, IdShape};
use crate::checks::TechniqueChooser;
use crate::project::Project;
use crate::ruleset::load::{Origin, RuleRef};
use crate::ruleset::platform::rule_platform;
use facts::RuleFacts;
use std::collections::HashSet;

/// Everything the sources need, built once per run.
pub struct Suggester<'p> {
    project: &'p Project,
    hints: hints::HintSet,
    explicit: explicit::ExplicitMentions,
    text: attack_text::AttackTextSource,
    public: public::PublicSource,
    software: software::SoftwareSource<'p>,
    similar: similar::SimilarIndex,
    /// Evidence kinds left out (`eval --without`, for the ablation).
    without: Vec<EvidenceKind>,
    /// Parent groups lend only the tags of rules loading before the rule (`eval`).
    groups_loaded_before: bool,
}

/// The most ids `fix --add-tags` writes in one new block.
pub const MAX_NEW_TAGS: usize = 3;

/// What `fix --add-tags` writes for a rule (and `eval` measures): a rule that writes
/// technique ids gets those techniques and nothing else; any other rule gets its first
/// suggestion. Only at `min` confidence or above, and only ids the manager knows.
pub fn tags_to_write<'s>(
    suggestions: &'s [Suggestion],
    min: Confidence,
    manager: &crate::attack::AttackVersion,
) -> Vec<&'s Suggestion> {
    // What other rules' tags lend may rank a technique, not carry it to `min` alone: tags
    // this run writes would lend to the next pass, and a guess would vouch for a guess.
    let usable = |s: &&Suggestion| {
        s.confidence >= min && s.own_confidence >= min && manager.is_active(&s.technique)
    };
    if suggestions.iter().any(|s| s.named) {
        return suggestions
            .iter()
            .filter(|s| s.named)
            .filter(usable)
            .take(MAX_NEW_TAGS)
            .collect();
    }
    suggestions.iter().take(1).filter(usable).collect()
}

/// How deep the rule's own ranking is read for `own_confidence`: below the first few, a
/// technique is low.
const OWN_RANKED: usize = 3;

/// Technique ids written in a rule's `<mitre>` blocks (well-formed ones only).
pub fn technique_tags(project: &Project, r: RuleRef) -> Vec<String> {
    project
        .ws
        .rule(r)
        .tagged_ids()
        .into_iter()
        .filter_map(|v| match classify(&v) {
            IdShape::Technique => Some(v),
            IdShape::Normalisable(id) => Some(id),
            _ => None,
        })
        .collect()
}

impl<'p> Suggester<'p> {
    pub fn new(project: &'p Project) -> Self {
        let attack = project.attack();
        // Only tagged rules lend their likeness; every rule's facts are made again when it
        // is ranked (keeping them for a whole ruleset was a fifth of suggest's memory).
        let mut similar = similar::SimilarIndex::default();
        let tagged: Vec<(RuleRef, Vec<String>)> = project
            .ws
            .rule_refs()
            .filter(|r| !project.ws.files[r.file()].file.salvaged)
            .map(|r| (r, technique_tags(project, r)))
            .filter(|(_, tags)| !tags.is_empty())
            .collect();
        let tagged_facts: Vec<RuleFacts> = {
            use rayon::prelude::*;
            tagged
                .par_iter()
                .with_min_len(64)
                .map(|&(r, _)| facts::rule_facts(&project.ws, &project.replay, r))
                .collect()
        };
        for ((r, tags), f) in tagged.into_iter().zip(tagged_facts) {
            let rule = project.ws.rule(r);
            let feats = similar.features(rule, &f);
            similar.add(r, rule.id, tags, feats);
        }
        // The sources' indexes are independent: build them side by side.
        let text = project.db.text();
        let ((hints, explicit), ((text_source, software), public)) = rayon::join(
            || {
                (
                    hints::HintSet::embedded(),
                    explicit::ExplicitMentions::new(attack),
                )
            },
            || {
                rayon::join(
                    || {
                        (
                            attack_text::AttackTextSource::new(attack, text),
                            software::SoftwareSource::new(text),
                        )
                    },
                    public::PublicSource::new,
                )
            },
        );
        Suggester {
            project,
            hints,
            explicit,
            text: text_source,
            public,
            software,
            similar,
            without: Vec::new(),
            groups_loaded_before: false,
        }
    }

    /// The same suggester without some evidence kinds (an ablation).
    pub fn without(mut self, kinds: &[EvidenceKind]) -> Self {
        self.without = kinds.to_vec();
        self
    }

    /// For measuring: a parent group lends only the tags of its rules that load before the
    /// rule, as for a rule written after them.
    pub fn groups_loaded_before(mut self) -> Self {
        self.groups_loaded_before = true;
        self
    }

    /// All evidence for a rule; `hidden` rules' tags are invisible (leave-one-out).
    pub fn evidence(&self, r: RuleRef, hidden: &HashSet<RuleRef>) -> Vec<Evidence> {
        let ws = &self.project.ws;
        if ws.files[r.file()].file.salvaged {
            return Vec::new();
        }
        let platform = rule_platform(ws, &self.project.replay, r);
        let facts = &facts::rule_facts(ws, &self.project.replay, r);
        let mut out = self.own_evidence(facts, platform);
        self.lent_evidence(r, facts, &|x| hidden.contains(&x), &mut out);
        out
    }

    /// What the rule itself says: every source but other rules' tags.
    fn own_evidence(
        &self,
        facts: &RuleFacts,
        platform: Option<crate::ruleset::platform::Platform>,
    ) -> Vec<Evidence> {
        let mut out = Vec::new();
        self.explicit
            .collect(facts, self.project.attack(), &mut out);
        self.hints.collect(facts, platform, &mut out);
        self.text.collect(facts, &mut out);
        self.public.collect(facts, &mut out);
        self.software.collect(facts, &mut out);
        out.retain(|e| !self.without.contains(&e.kind));
        out
    }

    /// What other rules' tags lend (parents', look-alikes'), leaving out `hidden` rules.
    fn lent_evidence(
        &self,
        r: RuleRef,
        facts: &RuleFacts,
        hidden: &dyn Fn(RuleRef) -> bool,
        out: &mut Vec<Evidence>,
    ) {
        let ws = &self.project.ws;
        let mut lent = Vec::new();
        let tags_of = |x: RuleRef| technique_tags(self.project, x);
        parents::collect(
            ws,
            &self.project.replay,
            r,
            hidden,
            self.groups_loaded_before,
            &tags_of,
            &mut lent,
        );
        let features = self.similar.query_features(ws.rule(r), facts);
        self.similar.collect(r, &features, hidden, &mut lent);
        lent.retain(|e| !self.without.contains(&e.kind));
        out.extend(lent);
    }

    /// The rule's `top` best suggestions, best first (`usize::MAX` for all of them).
    ///
    /// Each also carries the confidence the rule earns without what the files being read
    /// lend through their tags (`own_confidence`): those tags may be guesses a `fix` run
    /// wrote, and a guess must not vouch for the next. The loaded ruleset's tags (the
    /// manager's, the embedded stock index) are never a run's, and count as the rule's own.
    pub fn suggest(&self, r: RuleRef, hidden: &HashSet<RuleRef>, top: usize) -> Vec<Suggestion> {
        let scorer = scorer::Scorer {
            attack: self.project.attack(),
            manager: self.project.manager(),
        };
        let ws = &self.project.ws;
        if ws.files[r.file()].file.salvaged {
            return Vec::new();
        }
        let platform = rule_platform(ws, &self.project.replay, r);
        let facts = &facts::rule_facts(ws, &self.project.replay, r);
        let mut own = self.own_evidence(facts, platform);
        let mut lent = Vec::new();
        self.lent_evidence(r, facts, &|x| hidden.contains(&x), &mut lent);
        if lent.is_empty() {
            // Nothing lent: the rule's own evidence is all there is.
            return scorer.rank(own, platform, top);
        }
        let mut evidence = own.clone();
        evidence.extend(lent);
        let read_here = |x: RuleRef| ws.files[x.file()].origin != Origin::Ruleset;
        self.lent_evidence(r, facts, &|x| hidden.contains(&x) || read_here(x), &mut own);
        let own = scorer.rank(own, platform, OWN_RANKED);
        let mut ranked = scorer.rank(evidence, platform, top);
        for s in &mut ranked {
            s.own_confidence = (own.iter().find(|o| o.technique == s.technique))
                .map_or(Confidence::Low, |o| o.confidence);
        }
        ranked
    }
}

impl Suggester<'_> {
    /// Each rule's `top` suggestions, on every core; `hidden_for` gives each rule's hidden
    /// set. The result keeps the order of `rules`.
    pub fn suggest_many(
        &self,
        rules: &[RuleRef],
        hidden_for: &(dyn Fn(RuleRef) -> HashSet<RuleRef> + Sync),
        top: usize,
    ) -> Vec<Vec<Suggestion>> {
        use rayon::prelude::*;
        rules
            .par_iter()
            .with_min_len(8)
            .map(|&r| self.suggest(r, &hidden_for(r), top))
            .collect()
    }
}

impl TechniqueChooser for Suggester<'_> {
    fn best_in_tactic(&self, rule: RuleRef, tactic_id: &str) -> Option<String> {
        let attack = self.project.attack();
        let tactic = attack
            .tactic(tactic_id)
            .or_else(|| self.project.manager().tactic(tactic_id))?;
        let hidden = HashSet::new();
        self.suggest(rule, &hidden, usize::MAX)
            .into_iter()
            .find(|s| {
                attack
                    .technique(&s.technique)
                    .or_else(|| self.project.manager().technique(&s.technique))
                    .is_some_and(|t| t.tactics.contains(&tactic.shortname))
            })
            .map(|s| s.technique)
    }
}

/// Texts the evidence sources' unit tests run over.
#[cfg(test)]
pub(crate) mod test_texts {
    /// Every stock rule's description, files in name order: the kind of text the sources meet.
    pub fn stock_descriptions() -> Vec<String> {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/wazuh-4.14.7/rules"
        );
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("the stock ruleset in ../shared")
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        let mut out = Vec::new();
        for f in files {
            let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
            out.extend(
                text.split("<description>")
                    .skip(1)
                    .filter_map(|d| d.split("</description>").next())
                    .map(str::to_string),
            );
        }
        out
    }
}
