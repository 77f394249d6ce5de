//! Evidence source: software ATT&CK knows (malware and tools) named in a rule. "Ryuk",
//! "PsExec" or "AdFind" in a rule points at what that software does. A piece of software
//! with few techniques says more about each; among many, those whose procedure examples
//! share the rule's words come first ("file extension ... Ryuk" is Ryuk's encryption, T1486,
//! not its other twenty techniques).

use super::evidence::{Evidence, EvidenceKind};
use super::facts::RuleFacts;
use crate::attack::model::Software;
use crate::attack::search::tokens;
use crate::attack::AttackText;
use regex::{Regex, RegexBuilder};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Names shorter than this are initials or commands ("at", "Net", "RTM"), not names.
const MIN_NAME_LEN: usize = 4;
/// How strongly naming a piece of software with a single technique points at it.
const STRENGTH: f64 = 0.6;
/// Added to the context total, so one shared rare word does not claim a whole share.
const CONTEXT_SMOOTHING: f64 = 2.0;

struct Entry {
    id: String,
    name: String,
    techniques: Vec<String>,
    /// Per technique, the words of the software's procedure examples for it; built the
    /// first time a rule names the software.
    procedure_words: OnceLock<Vec<HashSet<String>>>,
}

pub struct SoftwareSource {
    /// One case-insensitive alternation of every usable name.
    names: Option<Regex>,
    by_name: HashMap<String, usize>,
    entries: Vec<Entry>,
    /// (software id, technique) -> procedure texts, for the words above.
    procedures: HashMap<(String, String), Vec<String>>,
}

fn usable_names(s: &Software) -> impl Iterator<Item = &String> {
    std::iter::once(&s.name)
        .chain(&s.aliases)
        .filter(|n| n.chars().count() >= MIN_NAME_LEN && !s.names_in_prose.contains(n))
}

fn word_edge(c: Option<char>) -> &'static str {
    if c.is_some_and(|c| c.is_alphanumeric() || c == '_') {
        r"\b"
    } else {
        ""
    }
}

impl SoftwareSource {
    pub fn new(text: &AttackText) -> Self {
        let mut by_name = HashMap::new();
        let mut entries = Vec::new();
        let mut alternatives = Vec::new();
        for s in text.software().iter().filter(|s| !s.techniques.is_empty()) {
            let index = entries.len();
            for n in usable_names(s) {
                if by_name.insert(n.to_lowercase(), index).is_none() {
                    alternatives.push(format!(
                        "{}{}{}",
                        word_edge(n.chars().next()),
                        regex::escape(n),
                        word_edge(n.chars().last())
                    ));
                }
            }
            entries.push(Entry {
                id: s.id.clone(),
                name: s.name.clone(),
                techniques: s.techniques.clone(),
                procedure_words: OnceLock::new(),
            });
        }
        // Longest first, so "Cobalt Strike Beacon" wins over a shorter name inside it.
        alternatives.sort_by_key(|a| std::cmp::Reverse(a.len()));
        let names = (!alternatives.is_empty()).then(|| {
            RegexBuilder::new(&alternatives.join("|"))
                .case_insensitive(true)
                .size_limit(1 << 24)
                .build()
                .expect("escaped names form a valid pattern")
        });
        let mut procedures: HashMap<(String, String), Vec<String>> = HashMap::new();
        for t in text.techniques() {
            for p in t.procedures.iter().filter(|p| p.by.starts_with('S')) {
                procedures
                    .entry((p.by.clone(), t.id.clone()))
                    .or_default()
                    .push(p.text.clone());
            }
        }
        SoftwareSource {
            names,
            by_name,
            entries,
            procedures,
        }
    }

    fn procedure_words<'a>(&self, e: &'a Entry) -> &'a [HashSet<String>] {
        e.procedure_words.get_or_init(|| {
            e.techniques
                .iter()
                .map(|t| {
                    self.procedures
                        .get(&(e.id.clone(), t.clone()))
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
        for m in names.find_iter(&facts.text) {
            if let Some(&i) = self.by_name.get(&m.as_str().to_lowercase()) {
                if !named.iter().any(|(j, _)| *j == i) {
                    named.push((i, m.as_str().to_string()));
                }
            }
        }
        for (i, written) in named {
            let e = &self.entries[i];
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
                let strength = STRENGTH * prior.max(share);
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
