//! A small BM25 index over technique names and descriptions: `attack search`, and the
//! suggester's ATT&CK-text evidence.

use super::{AttackText, AttackVersion};
use crate::attack::model::Status;
use std::collections::HashMap;

/// Words too common in ATT&CK prose to tell techniques apart.
const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "been",
    "by",
    "can",
    "could",
    "for",
    "from",
    "has",
    "have",
    "in",
    "into",
    "is",
    "it",
    "its",
    "may",
    "of",
    "on",
    "or",
    "such",
    "that",
    "the",
    "their",
    "these",
    "this",
    "to",
    "use",
    "used",
    "using",
    "via",
    "was",
    "were",
    "which",
    "will",
    "with",
    "adversaries",
    "adversary",
    "also",
    "other",
    "some",
    "within",
    "than",
    "them",
    "they",
    "not",
    "event",
    "events",
    "rule",
    "log",
    "logs",
    "detected",
    "detection",
    "alert",
    "windows",
    "linux",
    "user",
    "data",
    "system",
    "file",
    "files",
    "process",
    "value",
    "name",
    "id",
];

/// Lowercase word stems: split on non-alphanumerics, drop stop words and short words, and
/// strip a plural or verb ending so "tickets"/"ticket" and "dumping"/"dump" meet.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        // Field values as words: `MailItemsAccessed` is also "mail items accessed",
        // `New-InboxRule` already splits at the dash into "new" and "inbox rule".
        let parts = camel_parts(word);
        for w in std::iter::once(word).chain(parts.iter().copied().filter(|_| parts.len() > 1)) {
            if w.len() < 3 {
                continue;
            }
            let w = w.to_ascii_lowercase();
            if !STOPWORDS.contains(&w.as_str()) {
                out.push(stem(&w));
            }
        }
    }
    out
}

/// `MailItemsAccessed` -> [Mail, Items, Accessed]; `PowerShell` -> [Power, Shell];
/// `NTLMv2` stays whole; a word with no case change is one part.
fn camel_parts(word: &str) -> Vec<&str> {
    let b = word.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..b.len() {
        let boundary = b[i].is_ascii_uppercase()
            && (b[i - 1].is_ascii_lowercase()
                || (b[i - 1].is_ascii_uppercase()
                    && b.get(i + 1).is_some_and(u8::is_ascii_lowercase)));
        if boundary {
            parts.push(&word[start..i]);
            start = i;
        }
    }
    parts.push(&word[start..]);
    parts
}

fn stem(w: &str) -> String {
    for suffix in ["ing", "ed", "es", "s"] {
        if w.len() > suffix.len() + 3 && w.ends_with(suffix) && !w.ends_with("ss") {
            return w[..w.len() - suffix.len()].to_string();
        }
    }
    w.to_string()
}

/// How much the words of ATT&CK's procedure examples count beside the description's.
const PROCEDURE_WEIGHT: f64 = 0.25;

/// BM25 over active techniques: the name counts three times, the description once, the
/// procedure examples' words a little.
/// Postings lists make a query touch only the techniques that share a word with it.
pub struct SearchIndex {
    ids: Vec<String>,
    doc_len: Vec<f64>,
    /// word -> (idf, [(doc, term frequency)]); frequencies are small sums, f32 holds them
    /// and halves the lists.
    postings: HashMap<String, (f64, Vec<(u32, f32)>)>,
    avg_len: f64,
}

/// One document's words and their weights.
pub type Terms = HashMap<String, f64>;

/// Part of an index, built on one core: each word is kept once per part, not once per
/// document, so the documents' own word maps never all exist at once.
#[derive(Default)]
struct Part {
    doc_len: Vec<(u32, f64)>,
    postings: HashMap<String, Vec<(u32, f32)>>,
}

impl Part {
    fn add(mut self, doc: u32, terms: Terms) -> Part {
        self.doc_len.push((doc, terms.values().sum()));
        for (w, tf) in terms {
            self.postings.entry(w).or_default().push((doc, tf as f32));
        }
        self
    }

    fn merge(self, other: Part) -> Part {
        let (mut big, small) = if self.postings.len() >= other.postings.len() {
            (self, other)
        } else {
            (other, self)
        };
        big.doc_len.extend(small.doc_len);
        for (w, list) in small.postings {
            big.postings.entry(w).or_default().extend(list);
        }
        big
    }
}

impl SearchIndex {
    pub fn build(version: &AttackVersion, text: &AttackText) -> Self {
        let active: Vec<_> = version
            .techniques()
            .filter(|t| t.status == Status::Active)
            .collect();
        let ids = active.iter().map(|t| t.id.clone()).collect();
        Self::from_documents(ids, |i| {
            let t = active[i];
            let mut terms = Terms::new();
            for w in tokens(&t.name) {
                *terms.entry(w).or_default() += 3.0;
            }
            if let Some(tt) = text.technique(&t.id) {
                for w in tokens(&tt.description) {
                    *terms.entry(w).or_default() += 1.0;
                }
                // Procedure examples: a word many of them use adds, sublinearly, so a
                // technique with 800 examples does not drown one with eight.
                let mut seen: HashMap<String, f64> = HashMap::new();
                for p in &tt.procedures {
                    for w in tokens(&p.text) {
                        *seen.entry(w).or_default() += 1.0;
                    }
                }
                for (w, n) in seen {
                    *terms.entry(w).or_default() += PROCEDURE_WEIGHT * (1.0 + n).ln();
                }
            }
            terms
        })
    }

    /// An index over any documents: their ids, and each one's words (made on all cores).
    pub fn from_documents(ids: Vec<String>, terms_of: impl Fn(usize) -> Terms + Sync) -> Self {
        use rayon::prelude::*;
        let part = (0..ids.len())
            .into_par_iter()
            .with_min_len(64)
            .fold(Part::default, |part, i| part.add(i as u32, terms_of(i)))
            .reduce(Part::default, Part::merge);
        let mut doc_len = vec![0.0; ids.len()];
        for (doc, len) in part.doc_len {
            doc_len[doc as usize] = len;
        }
        let n = ids.len() as f64;
        let mut postings: HashMap<String, (f64, Vec<(u32, f32)>)> = part
            .postings
            .into_iter()
            .map(|(w, mut list)| {
                let d = list.len() as f64;
                let idf = ((n - d + 0.5) / (d + 0.5) + 1.0).ln();
                list.sort_unstable_by_key(|p| p.0);
                // Most words are in a few documents: a list grown to four or eight keeps
                // its slack for the whole run otherwise.
                list.shrink_to_fit();
                (w, (idf, list))
            })
            .collect();
        postings.shrink_to_fit();
        let avg_len = doc_len.iter().sum::<f64>() / n.max(1.0);
        SearchIndex {
            ids,
            doc_len,
            postings,
            avg_len,
        }
    }

    /// Techniques ranked by BM25 score for `query`, best first (ties by id).
    pub fn search(&self, query: &str, limit: usize) -> Vec<(String, f64)> {
        let q = tokens(query);
        self.search_tokens(&q, limit)
    }

    pub fn search_tokens(&self, q: &[String], limit: usize) -> Vec<(String, f64)> {
        let (k1, b) = (1.2, 0.75);
        let mut scores = vec![0.0f64; self.ids.len()];
        for w in q {
            let Some((idf, list)) = self.postings.get(w) else {
                continue;
            };
            for &(doc, tf) in list {
                let tf = f64::from(tf);
                let len = self.doc_len[doc as usize];
                scores[doc as usize] +=
                    idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len / self.avg_len));
            }
        }
        let mut scored: Vec<(usize, f64)> = scores
            .into_iter()
            .enumerate()
            .filter(|(_, s)| *s > 0.0)
            .collect();
        let order = |a: &(usize, f64), b: &(usize, f64)| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.ids[a.0].cmp(&self.ids[b.0]))
        };
        // Only the best `limit` are sorted (and their ids copied): most documents share
        // some word with a query.
        if scored.len() > limit && limit > 0 {
            scored.select_nth_unstable_by(limit - 1, order);
        }
        scored.truncate(limit);
        scored.sort_by(order);
        scored
            .into_iter()
            .map(|(d, s)| (self.ids[d].clone(), s))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attack::AttackDb;

    #[test]
    fn kerberos_ticket_finds_the_kerberos_techniques() {
        let db = AttackDb::embedded();
        let idx = SearchIndex::build(db.latest(), db.text());
        let top: Vec<String> = idx
            .search("kerberos ticket", 5)
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert!(top.iter().any(|id| id.starts_with("T1558")), "{top:?}");
    }
}
