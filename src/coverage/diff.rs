//! What a change gains and loses in coverage: two reports compared, each lost technique with
//! why each of its rules no longer covers it.

use super::{CoverageReport, CoveredTechnique, RuleAt};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub technique: String,
    pub name: String,
    /// The rules that covered it before (for a loss) or cover it now (for a gain).
    pub rules: Vec<RuleAt>,
    /// For a loss: what happened to each of those rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
}

/// A rule whose effective tags (what the manager would put on its alerts) changed, even
/// where other rules still cover the same techniques.
#[derive(Debug, Clone, Serialize)]
pub struct RuleChange {
    /// Where the rule stands now (before, for a rule that is gone).
    pub rule: RuleAt,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl RuleChange {
    /// `T1086 -> T1059.001`, `+T1110`, `-T1078`, as a reviewer reads them.
    pub fn describe(&self) -> String {
        match (self.removed.as_slice(), self.added.as_slice()) {
            ([old], [new]) => format!("{old} -> {new}"),
            (removed, added) => removed
                .iter()
                .map(|t| format!("-{t}"))
                .chain(added.iter().map(|t| format!("+{t}")))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageDiff {
    pub gained: Vec<Change>,
    pub lost: Vec<Change>,
    /// Every rule whose effective tags changed, by rule id.
    pub rules_changed: Vec<RuleChange>,
}

/// Each rule's effective tags: rule id -> (where it stands, technique ids).
fn tags_by_rule(r: &CoverageReport) -> BTreeMap<u32, (&RuleAt, BTreeSet<&str>)> {
    let mut out: BTreeMap<u32, (&RuleAt, BTreeSet<&str>)> = BTreeMap::new();
    for c in &r.covered {
        for rule in &c.rules {
            out.entry(rule.rule_id)
                .or_insert_with(|| (rule, BTreeSet::new()))
                .1
                .insert(c.id.as_str());
        }
    }
    out
}

fn rules_changed(before: &CoverageReport, after: &CoverageReport) -> Vec<RuleChange> {
    let (b, a) = (tags_by_rule(before), tags_by_rule(after));
    let ids: BTreeSet<u32> = b.keys().chain(a.keys()).copied().collect();
    let none = BTreeSet::new();
    ids.into_iter()
        .filter_map(|id| {
            let (was_at, was) = b.get(&id).map_or((None, &none), |(r, t)| (Some(*r), t));
            let (now_at, now) = a.get(&id).map_or((None, &none), |(r, t)| (Some(*r), t));
            let added: Vec<String> = now.difference(was).map(|t| t.to_string()).collect();
            let removed: Vec<String> = was.difference(now).map(|t| t.to_string()).collect();
            if added.is_empty() && removed.is_empty() {
                return None;
            }
            Some(RuleChange {
                rule: now_at.or(was_at)?.clone(),
                added,
                removed,
            })
        })
        .collect()
}

/// `after` against `before`; rules are matched by id (the two may be different folders).
pub fn diff(before: &CoverageReport, after: &CoverageReport) -> CoverageDiff {
    let ids = |r: &CoverageReport| {
        r.covered
            .iter()
            .map(|c| c.id.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (b, a) = (ids(before), ids(after));
    let change = |c: &CoveredTechnique, why: Vec<String>| Change {
        technique: c.id.clone(),
        name: c.name.clone(),
        rules: c.rules.clone(),
        why,
    };
    let gained = after
        .covered
        .iter()
        .filter(|c| !b.contains(&c.id))
        .map(|c| change(c, Vec::new()))
        .collect();
    let lost = before
        .covered
        .iter()
        .filter(|c| !a.contains(&c.id))
        .map(|c| {
            let why = c
                .rules
                .iter()
                .map(|r| {
                    let now = after.cannot_alert.iter().find(|x| {
                        x.rule.rule_id == r.rule_id && x.technique.eq_ignore_ascii_case(&c.id)
                    });
                    let still_tagged_elsewhere = after
                        .cannot_alert
                        .iter()
                        .find(|x| x.rule.rule_id == r.rule_id);
                    match now.or(still_tagged_elsewhere) {
                        Some(x) => format!("rule {}: {}", r.rule_id, x.reason),
                        None => {
                            format!("rule {}: removed, or no longer tagged {}", r.rule_id, c.id)
                        }
                    }
                })
                .collect();
            change(c, why)
        })
        .collect();
    CoverageDiff {
        gained,
        lost,
        rules_changed: rules_changed(before, after),
    }
}
