//! What a change gains and loses in coverage: two reports compared, each lost technique with
//! why each of its rules no longer covers it.

use super::{CoverageReport, CoveredTechnique, RuleAt};
use serde::Serialize;

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

#[derive(Debug, Clone, Serialize)]
pub struct CoverageDiff {
    pub gained: Vec<Change>,
    pub lost: Vec<Change>,
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
    CoverageDiff { gained, lost }
}
