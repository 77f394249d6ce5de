//! Evidence source: what the field has already tagged. The public detections (SigmaHQ,
//! Splunk) nearest to a rule, by the words and event ids their logic and titles share with
//! it, lend their techniques. Each reason names the detection and its author, as the
//! Detection Rule License asks and as a reviewer needs: `like Sigma "Suspicious Certutil
//! Download" (by ...) tagged T1105`.

use super::evidence::{Evidence, EvidenceKind};
use super::facts::RuleFacts;
use super::public_table::{embedded, Detection};
use crate::attack::search::{tokens, SearchIndex, Terms};

/// Below this BM25 score the nearest detection is noise.
const MIN_TOP_SCORE: f64 = 9.0;
/// How many nearest detections lend their techniques.
const NEAREST: usize = 6;
/// How strongly the nearest detection alone points at its techniques.
const STRENGTH: f64 = 0.25;

pub struct PublicSource {
    detections: Vec<Detection>,
    index: SearchIndex,
}

/// An event id as a term of its own, so `4688` in a rule meets `EventID: 4688` in Sigma.
fn event_term(id: u32) -> String {
    format!("eventid{id}")
}

impl PublicSource {
    pub fn new() -> Self {
        let detections = embedded();
        let ids = (0..detections.len()).map(|i| i.to_string()).collect();
        let index = SearchIndex::from_documents(ids, |i| {
            let d = &detections[i];
            let mut terms = Terms::new();
            for w in tokens(&d.title) {
                *terms.entry(w).or_default() += 2.0;
            }
            for w in tokens(&d.logic) {
                // Long searches repeat their fields: a word counts at most three times.
                let tf = terms.entry(w).or_default();
                *tf = (*tf + 1.0).min(5.0);
            }
            for &e in &d.event_ids {
                *terms.entry(event_term(e)).or_default() += 2.0;
            }
            terms
        });
        PublicSource { index, detections }
    }

    pub fn collect(&self, facts: &RuleFacts, out: &mut Vec<Evidence>) {
        let mut query = facts.tokens.clone();
        let events: Vec<u32> = facts
            .event_ids
            .iter()
            .filter(|e| e.depth <= 1)
            .map(|e| e.value)
            .collect();
        query.extend(events.iter().map(|&e| event_term(e)));
        let hits = self.index.search_tokens(&query, NEAREST);
        let Some(&(_, top)) = hits.first() else {
            return;
        };
        if top < MIN_TOP_SCORE {
            return;
        }
        let confidence = (top / (2.0 * MIN_TOP_SCORE)).min(1.0);
        let about_other_events = |d: &Detection| {
            !events.is_empty()
                && !d.event_ids.is_empty()
                && !d.event_ids.iter().any(|e| events.contains(e))
        };
        for (rank, (doc, score)) in hits.iter().enumerate() {
            let d = &self.detections[doc.parse::<usize>().expect("documents are indices")];
            // A detection of another event (Kerberoasting is 4769, not a 4770 renewal) says
            // nothing about this one, however many words they share.
            if about_other_events(d) {
                continue;
            }
            // A detection tagged with many techniques says less about each.
            let spread = (d.techniques.len() as f64).sqrt();
            let strength =
                STRENGTH * confidence * (score / top) / (1.0 + rank as f64 * 0.35) / spread;
            let who = if d.author.is_empty() {
                String::new()
            } else {
                format!(" (by {})", d.author)
            };
            let source = if d.source == "sigma" {
                "Sigma"
            } else {
                "Splunk"
            };
            for t in &d.techniques {
                out.push(Evidence::new(
                    t.clone(),
                    strength,
                    EvidenceKind::Public,
                    format!(
                        "like {source} \"{}\"{who} tagged {}",
                        d.title,
                        d.techniques.join(", ")
                    ),
                ));
            }
        }
    }
}

impl Default for PublicSource {
    fn default() -> Self {
        Self::new()
    }
}
