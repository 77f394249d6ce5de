//! Evidence source: the user's own tagged rules. A rule that resembles tagged rules (same
//! parents, same fields, similar words) inherits their tags.

use super::evidence::{Evidence, EvidenceKind};
use super::facts::RuleFacts;
use crate::ruleset::load::RuleRef;
use crate::ruleset::Rule;
use std::collections::HashMap;

/// A rule's features for comparison.
#[derive(Debug, Clone, Default)]
pub struct Features {
    parents: Vec<String>,
    /// `name=value` of each field: the same field matching another value is another rule.
    fields: Vec<String>,
    tokens: Vec<u32>,
    groups: Vec<String>,
    /// Windows/Sysmon event ids of the rule and its parent: two rules on different events
    /// are different detections, however alike their words.
    events: Vec<u32>,
}

struct Entry {
    rule: RuleRef,
    id: Option<u32>,
    tags: Vec<String>,
    features: Features,
}

/// Compliance groups (`pci_dss_10.2.4`) say nothing about behaviour.
fn is_compliance_group(g: &str) -> bool {
    [
        "pci_dss", "gdpr", "hipaa", "nist_800", "tsc_", "gpg13", "cis", "mitre",
    ]
    .iter()
    .any(|p| g.starts_with(p))
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

fn jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// How alike two rules are, in [0, 1].
fn similarity(a: &Features, b: &Features) -> f64 {
    let mut parts = vec![
        (0.45, jaccard(&a.tokens, &b.tokens)),
        (0.2, jaccard(&a.fields, &b.fields)),
        (0.1, jaccard(&a.groups, &b.groups)),
    ];
    // Siblings share a parent; what they match is what tells them apart.
    if !(a.parents.is_empty() && b.parents.is_empty()) {
        parts.push((0.25, jaccard(&a.parents, &b.parents)));
    }
    let events = jaccard(&a.events, &b.events);
    if !(a.events.is_empty() && b.events.is_empty()) {
        parts.push((0.3, events));
    }
    let total: f64 = parts.iter().map(|p| p.0).sum();
    let sim = parts.iter().map(|(w, s)| w * s).sum::<f64>() / total;
    if !a.events.is_empty() && !b.events.is_empty() && events == 0.0 {
        sim * 0.7
    } else {
        sim
    }
}

/// A rule's features, its words numbered by `number`.
fn features_with<'f>(
    rule: &Rule,
    facts: &'f RuleFacts,
    number: impl FnMut(&'f String) -> u32,
) -> Features {
    Features {
        parents: sorted(
            rule.parents
                .iter()
                .map(|p| format!("{}:{}", p.kind.element(), p.value))
                .collect(),
        ),
        fields: sorted(
            facts
                .fields
                .iter()
                .map(|(n, v)| format!("{}={}", n.to_ascii_lowercase(), v.to_ascii_lowercase()))
                .collect(),
        ),
        tokens: sorted(facts.tokens.iter().map(number).collect()),
        groups: sorted(
            rule.groups
                .iter()
                .filter(|g| !is_compliance_group(g))
                .cloned()
                .collect(),
        ),
        events: sorted(
            facts
                .event_ids
                .iter()
                .filter(|e| e.depth <= 1)
                .map(|e| e.value)
                .collect(),
        ),
    }
}

/// The tagged rules of a run, indexed for nearest-neighbour lookup.
#[derive(Default)]
pub struct SimilarIndex {
    vocab: HashMap<String, u32>,
    entries: Vec<Entry>,
    by_token: HashMap<u32, Vec<usize>>,
    by_parent: HashMap<String, Vec<usize>>,
}

/// Neighbours below this similarity say nothing.
const MIN_SIMILARITY: f64 = 0.3;
const NEIGHBOURS: usize = 5;
/// A token or parent shared by more tagged rules than this says nothing about likeness.
const COMMON: usize = 200;
/// How many candidates are compared in full.
const CANDIDATES: usize = 200;

impl SimilarIndex {
    /// Features of a tagged rule about to be added: its words join the vocabulary.
    pub fn features(&mut self, rule: &Rule, facts: &RuleFacts) -> Features {
        let vocab = &mut self.vocab;
        features_with(rule, facts, |t| match vocab.get(t) {
            Some(&i) => i,
            None => {
                let i = vocab.len() as u32;
                vocab.insert(t.clone(), i);
                i
            }
        })
    }

    /// Features of a rule to suggest for. Its words no tagged rule has get numbers past the
    /// vocabulary: they can meet nothing, but they count in the rule's word set.
    pub fn query_features(&self, rule: &Rule, facts: &RuleFacts) -> Features {
        let mut unknown: HashMap<&str, u32> = HashMap::new();
        features_with(rule, facts, |t| match self.vocab.get(t) {
            Some(&i) => i,
            None => {
                let next = (self.vocab.len() + unknown.len()) as u32;
                *unknown.entry(t).or_insert(next)
            }
        })
    }

    pub fn add(&mut self, rule: RuleRef, id: Option<u32>, tags: Vec<String>, features: Features) {
        let i = self.entries.len();
        for t in &features.tokens {
            self.by_token.entry(*t).or_default().push(i);
        }
        for p in &features.parents {
            self.by_parent.entry(p.clone()).or_default().push(i);
        }
        self.entries.push(Entry {
            rule,
            id,
            tags,
            features,
        });
    }

    /// Evidence from the tagged rules most like `query` (never `own` nor a hidden rule).
    pub fn collect(
        &self,
        own: RuleRef,
        query: &Features,
        hidden: &dyn Fn(RuleRef) -> bool,
        out: &mut Vec<Evidence>,
    ) {
        // Fixed bounds, not shares of the workspace: a migration of thousands of files must
        // cost each rule the same as one file does.
        let mut overlap: HashMap<usize, usize> = HashMap::new();
        for t in &query.tokens {
            if let Some(list) = self.by_token.get(t).filter(|l| l.len() <= COMMON) {
                for &i in list {
                    *overlap.entry(i).or_default() += 1;
                }
            }
        }
        for p in &query.parents {
            if let Some(list) = self.by_parent.get(p).filter(|l| l.len() <= COMMON) {
                for &i in list {
                    *overlap.entry(i).or_default() += 2;
                }
            }
        }
        let mut candidates: Vec<(usize, usize)> = overlap
            .into_iter()
            .filter(|&(i, n)| {
                n >= 2 && self.entries[i].rule != own && !hidden(self.entries[i].rule)
            })
            .collect();
        // Only the candidates sharing most are compared in full.
        if candidates.len() > CANDIDATES {
            candidates.select_nth_unstable_by(CANDIDATES, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.truncate(CANDIDATES);
        }
        let mut scored: Vec<(f64, usize)> = candidates
            .into_iter()
            .map(|(i, _)| (similarity(query, &self.entries[i].features), i))
            .filter(|(s, _)| *s >= MIN_SIMILARITY)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (sim, i) in scored.into_iter().take(NEIGHBOURS) {
            let e = &self.entries[i];
            let who =
                e.id.map_or("a tagged rule".to_string(), |id| format!("rule {id}"));
            for t in &e.tags {
                out.push(Evidence::new(
                    t.clone(),
                    0.7 * sim,
                    EvidenceKind::Similar,
                    format!("{who} is {:.0}% alike and tagged {t}", sim * 100.0),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::model::SourceFile;
    use crate::ruleset::read::parse;
    use std::collections::BTreeSet;

    fn facts_of(words: &str) -> RuleFacts {
        RuleFacts {
            tokens: crate::attack::search::tokens(words),
            ..Default::default()
        }
    }

    /// A query's word set compares with a tagged rule's as the two sets of words do, also
    /// for words no tagged rule has (they count in the union, never in the intersection).
    #[test]
    fn query_words_compare_as_the_words_themselves() {
        let text = r#"<group name="t,"><rule id="100001" level="3"><match>x</match><description>d</description></rule></group>"#;
        let file = parse(SourceFile::new("t.xml".into(), text.into())).unwrap();
        let rule = &file.rules[0];
        let tagged = [
            "mimikatz credential dumping lsass memory",
            "lsass process access credential",
        ];
        let query = "credential dumping from lsass with procdump procdump unusual";
        let mut index = SimilarIndex::default();
        for (i, words) in tagged.iter().enumerate() {
            let f = index.features(rule, &facts_of(words));
            let r = RuleRef::new(0, i);
            index.add(r, None, vec!["T1003.001".into()], f);
        }
        let q = index.query_features(rule, &facts_of(query));
        let set = |w: &str| -> BTreeSet<String> {
            crate::attack::search::tokens(w).into_iter().collect()
        };
        for (i, words) in tagged.iter().enumerate() {
            let (a, b) = (set(query), set(words));
            let want = a.intersection(&b).count() as f64 / a.union(&b).count() as f64;
            let got = jaccard(&q.tokens, &index.entries[i].features.tokens);
            assert!((got - want).abs() < 1e-12, "{got} != {want}");
            assert!(want > 0.0 && want < 1.0, "{want}");
        }
        // Unknown words did not join the vocabulary.
        assert_eq!(index.vocab.len(), set(&tagged.join(" ")).len());
    }
}
