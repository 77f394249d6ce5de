//! Evidence source: the tags of the rules a rule follows (`if_sid`, `if_group`, ...), through
//! chains of parents. A parent's tag is strong evidence, a grandparent's weaker.

use super::evidence::{Evidence, EvidenceKind};
use crate::ruleset::load::{LoadReplay, RuleRef, Workspace};
use crate::ruleset::ParentKind;
use std::collections::{HashMap, HashSet};

/// Strength of a tag seen on a parent named by id, by distance.
const BY_DEPTH: [f64; 3] = [0.8, 0.55, 0.35];
/// A group names many rules; a tag they share counts less than a named parent's.
const GROUP_FACTOR: f64 = 0.7;

/// `groups_loaded_before`: a parent group lends only the tags of its rules that load before
/// `r` (leave-one-out measures what a rule written last would get).
#[allow(clippy::too_many_arguments)]
pub fn collect(
    ws: &Workspace,
    replay: &LoadReplay,
    r: RuleRef,
    hidden: &dyn Fn(RuleRef) -> bool,
    groups_loaded_before: bool,
    tags_of: &dyn Fn(RuleRef) -> Vec<String>,
    out: &mut Vec<Evidence>,
) {
    let mut frontier: Vec<RuleRef> = vec![r];
    let mut seen: HashSet<RuleRef> = HashSet::from([r]);
    for (depth, weight) in BY_DEPTH.iter().enumerate() {
        let mut next = Vec::new();
        for &x in &frontier {
            let rule = ws.rule(x);
            for p in &rule.parents {
                let members: Vec<RuleRef> = if p.kind.names_rule_ids() {
                    p.value
                        .parse::<u32>()
                        .ok()
                        .and_then(|id| replay.rule_by_id(x, id))
                        .into_iter()
                        .collect()
                } else {
                    let mut members = replay.rules_in_group(x, &p.value);
                    if groups_loaded_before {
                        // Workspace order is load order.
                        members.retain(|m| *m < r);
                    }
                    members
                };
                let members: Vec<RuleRef> =
                    members.into_iter().filter(|m| seen.insert(*m)).collect();
                if members.is_empty() {
                    continue;
                }
                let by_group = !p.kind.names_rule_ids();
                let mut counts: HashMap<String, usize> = HashMap::new();
                let visible: Vec<&RuleRef> = members.iter().filter(|m| !hidden(**m)).collect();
                for m in &visible {
                    let mut tags = tags_of(**m);
                    tags.sort();
                    tags.dedup();
                    for t in tags {
                        *counts.entry(t).or_default() += 1;
                    }
                }
                for (t, n) in counts {
                    let share = n as f64 / visible.len().max(1) as f64;
                    let (strength, detail) = if by_group {
                        (
                            weight * GROUP_FACTOR * share,
                            format!(
                                "{n} of {} rules in parent group {} are tagged {t}",
                                visible.len(),
                                p.value
                            ),
                        )
                    } else {
                        let who = if depth == 0 { "parent" } else { "ancestor" };
                        (*weight, format!("{who} {} is tagged {t}", p.value))
                    };
                    out.push(Evidence::new(t, strength, EvidenceKind::Parent, detail));
                }
                // Follow named parents further; groups are followed only one level.
                if matches!(p.kind, ParentKind::IfSid | ParentKind::IfMatchedSid) {
                    next.extend(members);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
}
