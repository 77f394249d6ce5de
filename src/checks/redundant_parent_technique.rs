//! ## redundant-parent-technique (WM108)
//!
//! **What it finds:** a technique tagged beside one of its own sub-techniques
//! (`T1059` beside `T1059.001`).
//!
//! **Why it matters:** the sub-technique already implies the parent in every ATT&CK view;
//! the parent tag makes coverage counts look broader than the rule is.
//!
//! **Example:** `<id>T1059</id><id>T1059.001</id>`
//!
//! **Fix (unsafe):** remove the parent id. Some teams tag both on purpose, so a reviewer
//! should agree.

use super::tags::{removal_span, technique_tags};
use super::{Applicability, Check, CheckInfo, Context, Diagnostic, Edit, Fix, Scope, Severity};
use crate::attack::ids::parent_technique;
use crate::ruleset::load::RuleRef;
use crate::ruleset::MitreEntryKind;

pub struct RedundantParentTechnique;

static INFO: CheckInfo = CheckInfo {
    code: "WM108",
    name: "redundant-parent-technique",
    severity: Severity::Info,
    summary: "a technique tagged beside one of its own sub-techniques",
    fix: Some(Applicability::Unsafe),
    scope: Scope::Tags,
};

impl Check for RedundantParentTechnique {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let rule = ctx.rule(r);
        let tags: Vec<_> = technique_tags(rule).collect();
        let ids: Vec<&str> = tags.iter().filter_map(|t| t.technique_id()).collect();
        let mut reported: Vec<&str> = Vec::new();
        for tag in &tags {
            let Some(id) = tag.technique_id() else {
                continue;
            };
            if id.contains('.') || reported.contains(&id) {
                continue;
            }
            let Some(sub) = ids
                .iter()
                .find(|s| s.contains('.') && parent_technique(s) == id)
            else {
                continue;
            };
            reported.push(id);
            let mut d = ctx.diag(
                &INFO,
                r,
                tag.entry.value_span,
                format!("`{id}` is implied by its sub-technique `{sub}` on the same rule"),
            );
            if tag.entry.kind == MitreEntryKind::Id {
                d = d.with_fix(Fix::unsafe_(
                    format!("remove `{id}`"),
                    vec![Edit::delete(removal_span(ctx.text(r), tag.entry.span))],
                ));
            }
            out.push(d);
        }
    }
}
