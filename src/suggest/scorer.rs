//! The only place evidence is weighed: combine it per technique, keep platforms consistent,
//! merge sub-techniques into their family, and rank.

use super::evidence::{Evidence, EvidenceKind};
use crate::attack::ids::parent_technique;
use crate::attack::AttackVersion;
use crate::ruleset::platform::Platform;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn of(score: f64) -> Confidence {
        if score >= HIGH {
            Confidence::High
        } else if score >= MEDIUM {
            Confidence::Medium
        } else {
            Confidence::Low
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
    pub fn parse(s: &str) -> Option<Confidence> {
        match s {
            "high" => Some(Confidence::High),
            "medium" => Some(Confidence::Medium),
            "low" => Some(Confidence::Low),
            _ => None,
        }
    }
}

/// Score thresholds of the confidence levels (calibrated with `wazuh-mitre eval`).
pub const HIGH: f64 = 0.75;
pub const MEDIUM: f64 = 0.7;
/// How far the first suggestion must lead the second to be called high confidence.
pub const HIGH_MARGIN: f64 = 0.2;

/// Fields in alphabetical order: the JSON contract's key order.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub detail: String,
    pub kind: EvidenceKind,
}

/// One ranked technique for a rule. Fields in alphabetical order: the JSON's key order.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub confidence: Confidence,
    /// Why a score at the high threshold is only medium: not the first, or too small a lead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence_why: Option<String>,
    pub name: String,
    pub reasons: Vec<Reason>,
    pub score: f64,
    pub tactics: Vec<String>,
    pub technique: String,
    /// The rule writes this technique's id itself (see [`Evidence::names_id`]).
    #[serde(skip)]
    pub named: bool,
    /// The confidence the rule's own evidence gives it, without what other rules' tags
    /// lend (parents', look-alikes'): `fix --add-tags` writes a tag only where this is high
    /// enough too (see `tags_to_write`).
    #[serde(skip)]
    pub own_confidence: Confidence,
}

/// How several pieces of evidence of one kind add up: independent sources (hints,
/// neighbours) reinforce each other; one parent or one mention is as strong as its best.
fn combine_within(kind: EvidenceKind, strengths: &[f64]) -> f64 {
    match kind {
        EvidenceKind::Hint => (1.0 - strengths.iter().map(|s| 1.0 - s).product::<f64>()).min(0.95),
        // Neighbours are not independent of each other: the best counts fully, the rest half.
        EvidenceKind::Similar | EvidenceKind::Public => {
            let best = strengths.iter().cloned().fold(0.0, f64::max);
            let rest: f64 =
                strengths.iter().map(|s| 1.0 - 0.5 * s).product::<f64>() / (1.0 - 0.5 * best);
            (1.0 - (1.0 - best) * rest).min(0.9)
        }
        _ => strengths.iter().cloned().fold(0.0, f64::max),
    }
}

/// Where the selected version has no active id for `id`, what stands for it.
fn current_id(id: &str, attack: &AttackVersion) -> Option<String> {
    if attack.is_active(id) {
        return Some(id.to_string());
    }
    attack.resolve(id)?.current().map(|t| t.id.clone())
}

/// The id the manager knows for a technique of the selected version: itself, the id it
/// replaced (T1685 -> T1562.001 for a 13.1 manager), or its parent technique when the
/// sub-technique is newer than the manager's data (T1098.007 -> T1098).
pub fn manager_id(id: &str, attack: &AttackVersion, manager: &AttackVersion) -> Option<String> {
    if manager.is_active(id) {
        return Some(id.to_string());
    }
    let name = attack.technique(id).map(|t| t.name.as_str()).unwrap_or("");
    let mut olds: Vec<&str> = attack
        .techniques()
        .filter(|t| t.revoked_by.as_deref() == Some(id) && manager.is_active(&t.id))
        .map(|t| t.id.as_str())
        .collect();
    // Prefer the old id of the same name (T1685.005 Clear Windows Event Logs <- T1070.001).
    olds.sort_by_key(|o| {
        (
            manager.technique(o).map(|t| t.name.as_str()) != Some(name),
            *o,
        )
    });
    if let Some(old) = olds.first() {
        return Some(old.to_string());
    }
    let parent = parent_technique(id);
    (parent != id && manager.is_active(parent)).then(|| parent.to_string())
}

/// Evidence gathered for one technique, by kind: strengths, and (strength, detail) reasons.
type ByKind = BTreeMap<EvidenceKind, (Vec<f64>, Vec<(f64, String)>)>;

/// One technique's combined score and every reason behind it.
struct Scored {
    id: String,
    score: f64,
    reasons: Vec<(f64, EvidenceKind, String)>,
    named: bool,
}

pub struct Scorer<'a> {
    pub attack: &'a AttackVersion,
    pub manager: &'a AttackVersion,
}

impl Scorer<'_> {
    /// The `top` best suggestions, best first. Only those are built (name, tactics,
    /// reasons): a rule's evidence often touches hundreds of techniques.
    pub fn rank(
        &self,
        evidence: Vec<Evidence>,
        platform: Option<Platform>,
        top: usize,
    ) -> Vec<Suggestion> {
        // technique -> kind -> (strengths, reasons)
        let mut per: BTreeMap<String, ByKind> = BTreeMap::new();
        let mut named: std::collections::BTreeSet<String> = Default::default();
        for e in evidence {
            let Some(id) = current_id(&e.technique, self.attack) else {
                continue;
            };
            if e.names_id {
                named.insert(id.clone());
            }
            let slot = per.entry(id).or_default().entry(e.kind).or_default();
            slot.0.push(e.strength);
            slot.1.push((e.strength, e.detail));
        }
        let mut scored: Vec<Scored> = Vec::new();
        for (id, kinds) in per {
            if let (Some(p), Some(t)) = (platform, self.attack.technique(&id)) {
                let pre_only = t.platforms.iter().all(|x| x == "PRE");
                if !t.platforms.is_empty()
                    && !pre_only
                    && !t.platforms.iter().any(|x| x == p.attack_name())
                {
                    continue;
                }
            }
            let score = 1.0
                - kinds
                    .iter()
                    .map(|(k, (s, _))| 1.0 - combine_within(*k, s))
                    .product::<f64>();
            let reasons = kinds
                .into_iter()
                .flat_map(|(k, (_, r))| r.into_iter().map(move |(s, d)| (s, k, d)))
                .collect();
            scored.push(Scored {
                named: named.contains(&id),
                id,
                score,
                reasons,
            });
        }
        // Families: one suggestion per technique, at the most specific id the evidence supports.
        let mut families: BTreeMap<String, Vec<Scored>> = BTreeMap::new();
        for s in scored {
            families
                .entry(parent_technique(&s.id).to_string())
                .or_default()
                .push(s);
        }
        let mut ranked = Vec::new();
        for (_, mut members) in families {
            members.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
            let best = members[0].score;
            // A sub-technique is chosen when it leads, or when evidence beyond word overlap
            // (with ATT&CK's text or public detections) points at it: siblings share their
            // words, so a text match alone does not tell Kerberoasting from the ticket family.
            let chosen = members
                .iter()
                .filter(|m| {
                    m.id.contains('.')
                        && m.score >= 0.5 * best
                        && (m.score >= best
                            || m.reasons.iter().any(|r| {
                                !matches!(r.1, EvidenceKind::AttackText | EvidenceKind::Public)
                            }))
                })
                .map(|m| m.id.clone())
                .next()
                .unwrap_or_else(|| members[0].id.clone());
            let rest: f64 = members[1..].iter().map(|m| 1.0 - 0.5 * m.score).product();
            let score = 1.0 - (1.0 - best) * rest;
            let named = members.iter().any(|m| m.named);
            // Never an id the manager's ATT&CK lacks: the alert would carry no technique.
            let Some(id) = manager_id(&chosen, self.attack, self.manager) else {
                continue;
            };
            let score = (score * 1000.0).round() / 1000.0;
            ranked.push(Scored {
                id,
                score,
                reasons: members.into_iter().flat_map(|m| m.reasons).collect(),
                named,
            });
        }
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        // Two newer ids can stand for one id the manager knows: keep its best.
        let mut offered = std::collections::HashSet::new();
        ranked.retain(|s| offered.insert(s.id.clone()));
        // High confidence is kept for a clear winner: the first, well ahead of the second,
        // or a technique whose id the rule writes itself (its author said so).
        let second = ranked.get(1).map_or(0.0, |s| s.score);
        let second_id = ranked.get(1).map(|s| s.id.clone());
        ranked.truncate(top);
        let mut out = Vec::with_capacity(ranked.len());
        for (
            i,
            Scored {
                id,
                score,
                mut reasons,
                named,
            },
        ) in ranked.into_iter().enumerate()
        {
            reasons.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
            let mut seen = Vec::new();
            let reasons: Vec<Reason> = reasons
                .into_iter()
                .filter(|r| {
                    let fresh = !seen.contains(&r.2);
                    seen.push(r.2.clone());
                    fresh
                })
                .take(4)
                .map(|(_, kind, detail)| Reason { kind, detail })
                .collect();
            // Name and tactics are those of the id offered, not of the one it stands for, in
            // the version that defines it (an id the newest revoked is the manager's).
            let (t, version) = match self
                .attack
                .technique(&id)
                .filter(|t| self.attack.is_active(&t.id))
            {
                Some(t) => (Some(t), self.attack),
                None => (self.manager.technique(&id), self.manager),
            };
            let name = t.map(|t| t.name.clone()).unwrap_or_default();
            let tactics = t
                .map(|t| {
                    version
                        .tactics_of(t)
                        .iter()
                        .map(|x| x.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            let mut confidence = Confidence::of(score);
            let mut confidence_why = None;
            if confidence == Confidence::High && !named && (i > 0 || score - second < HIGH_MARGIN) {
                confidence = Confidence::Medium;
                confidence_why = Some(if i > 0 {
                    "not the first suggestion: high is kept for a clear winner".to_string()
                } else {
                    format!(
                        "it leads {} ({second:.2}) by only {:.2}; high needs a lead of {HIGH_MARGIN:.2}",
                        second_id.as_deref().unwrap_or("the second"),
                        score - second
                    )
                });
            }
            out.push(Suggestion {
                technique: id,
                name,
                tactics,
                score,
                confidence,
                confidence_why,
                reasons,
                named,
                own_confidence: confidence,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attack::AttackDb;

    #[test]
    fn suggestions_use_ids_the_manager_knows() {
        let db = AttackDb::embedded();
        let (latest, manager) = (db.latest(), db.version("13.1").unwrap());
        assert_eq!(
            manager_id("T1110", latest, manager).as_deref(),
            Some("T1110")
        );
        assert_eq!(
            manager_id("T1685.005", latest, manager).as_deref(),
            Some("T1070.001")
        );
        assert_eq!(
            manager_id("T1098.007", latest, manager).as_deref(),
            Some("T1098")
        );
        assert_eq!(
            manager_id("T1685", latest, manager).as_deref(),
            Some("T1562.001")
        );
    }
}
