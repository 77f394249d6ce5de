//! ## duplicate-technique (WM107)
//!
//! **What it finds:** the same technique written twice in one rule: two `<id>` entries
//! with the same id, or two identical tactic/technique pairs.
//!
//! **Why it matters:** the manager keeps one; the copy is noise that hides real changes in
//! review diffs, and often the leftover of a half-done edit.
//!
//! **Example:** `<id>T1110</id><id>T1110</id>`
//!
//! **Fix (safe):** remove the later copy (its whole line when it stands alone).

use super::tags::{removal_span, technique_tags};
use super::{Applicability, Check, CheckInfo, Context, Diagnostic, Edit, Fix, Scope, Severity};
use crate::ruleset::load::RuleRef;
use crate::ruleset::MitreEntryKind;
use std::collections::HashSet;

pub struct DuplicateTechnique;

static INFO: CheckInfo = CheckInfo {
    code: "WM107",
    name: "duplicate-technique",
    severity: Severity::Warning,
    summary: "the same technique written twice in one rule",
    fix: Some(Applicability::Safe),
    scope: Scope::Tags,
};

impl Check for DuplicateTechnique {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let rule = ctx.rule(r);
        let text = ctx.text(r);
        let mut seen_ids: HashSet<String> = HashSet::new();
        for tag in technique_tags(rule) {
            if tag.entry.kind != MitreEntryKind::Id {
                continue;
            }
            let Some(id) = tag.technique_id() else {
                continue;
            };
            if !seen_ids.insert(id.to_string()) {
                out.push(
                    ctx.diag(
                        &INFO,
                        r,
                        tag.entry.span,
                        format!("`{id}` is already tagged on this rule"),
                    )
                    .with_fix(Fix::safe(
                        format!("remove the second `{id}`"),
                        vec![Edit::delete(removal_span(text, tag.entry.span))],
                    )),
                );
            }
        }
        // Identical pair-form blocks.
        let mut seen_pairs: HashSet<(String, String)> = HashSet::new();
        for block in &rule.mitre {
            let value = |kind: MitreEntryKind| {
                block
                    .entries
                    .iter()
                    .find(|e| e.kind == kind)
                    .map(|e| e.value.trim().to_string())
            };
            let is_single_pair = block.entries.len() == 2;
            let (Some(tactic), Some(technique)) = (
                value(MitreEntryKind::TacticId),
                value(MitreEntryKind::TechniqueId),
            ) else {
                continue;
            };
            if is_single_pair && !seen_pairs.insert((tactic.clone(), technique.clone())) {
                out.push(
                    ctx.diag(
                        &INFO,
                        r,
                        block.span,
                        format!("the pair {tactic}/{technique} is already tagged on this rule"),
                    )
                    .with_fix(Fix::safe(
                        "remove the repeated <mitre> block",
                        vec![Edit::delete(removal_span(text, block.span))],
                    )),
                );
            }
        }
    }
}
