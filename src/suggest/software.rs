//! Evidence source: software ATT&CK knows (malware and tools) named in a rule. "Ryuk",
//! "PsExec" or "AdFind" in a rule points at what that software does. A piece of software
//! with few techniques says more about each; among many, those whose procedure examples
//! share the rule's words come first ("file extension ... Ryuk" is Ryuk's encryption, T1486,
//! not its other twenty techniques).

use super::evidence::{Evidence, EvidenceKind};
use super::facts::RuleFacts;
use super::names::{Name, NameMatcher};
use crate::attack::model::Software;
use crate::attack::search::tokens;
use crate::attack::AttackText;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Names shorter than this are initials or commands ("at", "Net", "RTM"), not names.
const MIN_NAME_LEN: usize = 4;
/// How strongly naming a piece of software with a single technique points at it.
const STRENGTH: f64 = 0.6;
/// Added to the context total, so one shared rare word does not claim a whole share.
const CONTEXT_SMOOTHING: f64 = 2.0;

struct Entry<'a> {
    id: &'a str,
    name: &'a str,
    techniques: &'a [String],
    /// Per technique, the words of the software's procedure examples for it; built the
    /// first time a rule names the software.
    procedure_words: OnceLock<Vec<HashSet<String>>>,
}

pub struct SoftwareSource<'a> {
    /// Every usable name, longest first.
    names: Option<NameMatcher>,
    by_name: HashMap<String, usize>,
    entries: Vec<Entry<'a>>,
    /// (software id, technique) -> procedure texts, for the words above.
    procedures: HashMap<(&'a str, &'a str), Vec<&'a str>>,
}

fn usable_names(s: &Software) -> impl Iterator<Item = &String> {
    std::iter::once(&s.name)
        .chain(&s.aliases)
        .filter(|n| n.chars().count() >= MIN_NAME_LEN && !s.names_in_prose.contains(n))
}

/// Whether a name needs a word edge beside this end of it (it does where it ends in a word
/// character: "Net Crawler" must not match inside "Net Crawlers", "[Ryuk]" may touch anything).
fn needs_edge(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

impl<'a> SoftwareSource<'a> {
    pub fn new(text: &'a AttackText) -> Self {
        let mut by_name = HashMap::new();
        let mut entries = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for s in text.software().iter().filter(|s| !s.techniques.is_empty()) {
            let index = entries.len();
            for n in usable_names(s) {
                if by_name.insert(n.to_lowercase(), index).is_none() {
                    names.push(n);
                }
            }
            entries.push(Entry {
                id: &s.id,
                name: &s.name,
                techniques: &s.techniques,
                procedure_words: OnceLock::new(),
            });
        }
        // Longest first, so "Cobalt Strike Beacon" wins over a shorter name inside it.
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let names = NameMatcher::new(names.into_iter().map(|n| Name {
            text: n,
            edge_before: needs_edge(n.chars().next()),
            edge_after: needs_edge(n.chars().last()),
        }));
        let mut procedures: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
        for t in text.techniques() {
            for p in t.procedures.iter().filter(|p| p.by.starts_with('S')) {
                procedures.entry((&p.by, &t.id)).or_default().push(&p.text);
            }
        }
        SoftwareSource {
            names,
            by_name,
            entries,
            procedures,
        }
    }

    fn procedure_words<'e>(&self, e: &'e Entry) -> &'e [HashSet<String>] {
        e.procedure_words.get_or_init(|| {
            e.techniques
                .iter()
                .map(|t| {
                    self.procedures
                        .get(&(e.id, t.as_str()))
                        .into_iter()
                        .flatten()
                        .flat_map(|text| tokens(text))
                        .collect()
                })
                .collect()
        })
    }

    pub fn collect(&self, facts: &RuleFacts, out: &mut Vec<Evidence>) {
        let Some(names) = &self.names else { return };
        let mut named: Vec<(usize, String)> = Vec::new();
        for span in names.find_iter(&facts.text) {
            let written = &facts.text[span];
            if let Some(&i) = self.by_name.get(&written.to_lowercase()) {
                if !named.iter().any(|(j, _)| *j == i) {
                    named.push((i, written.to_string()));
                }
            }
        }
        for (i, written) in named {
            let e = &self.entries[i];
            // A tool one of many a rule lists is that share of what the rule fires on.
            let listed = facts.mention_share(&written);
            let own: HashSet<String> = tokens(&written).into_iter().collect();
            let rule_words: HashSet<&String> =
                facts.tokens.iter().filter(|w| !own.contains(*w)).collect();
            let words = self.procedure_words(e);
            let n = e.techniques.len() as f64;
            // Words in at most half of the software's procedures tell its techniques apart.
            let mut df: HashMap<&String, usize> = HashMap::new();
            for set in words {
                for w in set.iter().filter(|w| rule_words.contains(w)) {
                    *df.entry(w).or_default() += 1;
                }
            }
            let context: Vec<f64> = words
                .iter()
                .map(|set| {
                    set.iter()
                        .filter_map(|w| df.get(w))
                        .filter(|&&d| d as f64 <= (n / 2.0).max(1.0))
                        .map(|&d| (1.0 + n / d as f64).ln())
                        .sum()
                })
                .collect();
            let total: f64 = context.iter().sum();
            let prior = 1.0 / (1.0 + n.ln());
            for (t, ctx) in e.techniques.iter().zip(&context) {
                let share = if *ctx > 0.0 {
                    ctx / (total + CONTEXT_SMOOTHING)
                } else {
                    0.0
                };
                let strength = STRENGTH * prior.max(share) * listed;
                let why = if share > prior {
                    format!(
                        "names {} ({}); ATT&CK's examples of its {t} share the rule's words",
                        e.name, e.id
                    )
                } else {
                    format!(
                        "names {} ({}), which ATT&CK says uses {} technique{}",
                        e.name,
                        e.id,
                        e.techniques.len(),
                        if e.techniques.len() == 1 { "" } else { "s" }
                    )
                };
                out.push(Evidence::new(
                    t.clone(),
                    strength,
                    EvidenceKind::Software,
                    why,
                ));
            }
        }
    }
}
