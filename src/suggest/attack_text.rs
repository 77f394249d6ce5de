//! Evidence source: ATT&CK's own text. The rule's words against technique names and
//! descriptions (BM25), and its Windows/Sysmon event ids against the event codes ATT&CK's
//! analytics watch (v18.1 detection strategies).

use super::evidence::{Evidence, EvidenceKind};
use super::facts::RuleFacts;
use crate::attack::search::SearchIndex;
use crate::attack::{AttackText, AttackVersion};
use regex::Regex;
use std::collections::HashMap;

pub struct AttackTextSource {
    index: SearchIndex,
    /// (Sysmon?, event code) -> techniques whose analytics name it.
    event_codes: HashMap<(bool, u32), Vec<String>>,
}

/// Below this BM25 score the best match is noise.
const MIN_TOP_SCORE: f64 = 6.0;

impl AttackTextSource {
    pub fn new(version: &AttackVersion, text: &AttackText) -> Self {
        let code_re = Regex::new(r"EventCode=([\d ,]+)").unwrap();
        let mut event_codes: HashMap<(bool, u32), Vec<String>> = HashMap::new();
        for t in text.techniques() {
            if !version.is_active(&t.id) {
                continue;
            }
            for src in &t.log_sources {
                let sysmon = src.contains("Sysmon");
                if !(sysmon || src.starts_with("WinEventLog")) {
                    continue;
                }
                for c in code_re.captures_iter(src) {
                    for n in c[1].split(',').filter_map(|x| x.trim().parse::<u32>().ok()) {
                        let list = event_codes.entry((sysmon, n)).or_default();
                        if !list.contains(&t.id) {
                            list.push(t.id.clone());
                        }
                    }
                }
            }
        }
        AttackTextSource {
            index: SearchIndex::build(version, text),
            event_codes,
        }
    }

    pub fn collect(&self, facts: &RuleFacts, out: &mut Vec<Evidence>) {
        let hits = self.index.search_tokens(&facts.tokens, 5);
        if let Some(&(_, top)) = hits.first() {
            let confidence = (top / (2.0 * MIN_TOP_SCORE)).min(1.0);
            if top >= MIN_TOP_SCORE {
                for (rank, (id, score)) in hits.iter().enumerate() {
                    let strength = 0.4 * confidence * (score / top) / (1.0 + rank as f64 * 0.3);
                    out.push(Evidence::new(
                        id.clone(),
                        strength,
                        EvidenceKind::AttackText,
                        format!(
                            "its words match ATT&CK's description of {id} (rank {})",
                            rank + 1
                        ),
                    ));
                }
            }
        }
        let sysmon: Vec<u32> = facts.sysmon_events.iter().map(|e| e.value).collect();
        for e in facts.event_ids.iter().filter(|e| e.depth <= 1) {
            let is_sysmon = sysmon.contains(&e.value);
            let Some(list) = self.event_codes.get(&(is_sysmon, e.value)) else {
                continue;
            };
            let strength =
                0.35 / (1.0 + (list.len() as f64).ln()) * if e.depth == 0 { 1.0 } else { 0.75 };
            let channel = if is_sysmon { "Sysmon" } else { "Windows" };
            for id in list {
                out.push(Evidence::new(
                    id.clone(),
                    strength,
                    EvidenceKind::AttackText,
                    format!(
                        "ATT&CK analytics for {id} watch {channel} EventCode={}",
                        e.value
                    ),
                ));
            }
        }
    }
}
