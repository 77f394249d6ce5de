//! ## parent-not-found (WM204)
//!
//! **What it finds:** an `if_sid`/`if_matched_sid` naming a rule that exists nowhere (only
//! checked when a ruleset is loaded), that loads after this rule, or that the manager itself
//! dropped. Load order is the manager's: `--ruleset` folders first, each folder's files by
//! file name, then the files given.
//!
//! **Why it matters:** the manager ignores that parent (warning 7617); when no parent is
//! left, it drops the rule, though `wazuh-analysisd -t` says nothing.
//!
//! **Example:** `<if_sid>60122</if_sid>` in a file that loads before the one defining 60122.
//!
//! **Fix:** none automatic.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::LoadEvent;

pub struct ParentNotFound;

static INFO: CheckInfo = CheckInfo {
    code: "WM204",
    name: "parent-not-found",
    severity: Severity::Error,
    summary: "if_sid/if_matched_sid names a rule that is missing, loads later, or was dropped",
    fix: None,
    scope: Scope::Rules,
};

impl Check for ParentNotFound {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_workspace(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for event in &ctx.replay.events {
            let (rule, parent, why) = match *event {
                LoadEvent::ParentNotFound { rule, parent } if ctx.settings.have_ruleset => (
                    rule,
                    parent,
                    "exists nowhere in the loaded rules".to_string(),
                ),
                LoadEvent::ParentLoadsLater {
                    rule,
                    parent,
                    parent_rule,
                } => (
                    rule,
                    parent,
                    format!("loads after this rule ({})", ctx.location(parent_rule)),
                ),
                LoadEvent::ParentDropped { rule, parent, .. } => (
                    rule,
                    parent,
                    "was itself dropped by the manager".to_string(),
                ),
                _ => continue,
            };
            let r = ctx.rule(rule);
            let p = &r.parents[parent];
            let dropped = ctx.replay.dropped.contains(&rule);
            let consequence = if dropped {
                "the manager drops this rule"
            } else {
                "the manager ignores this parent"
            };
            out.push(
                ctx.diag(
                    &INFO,
                    rule,
                    p.span,
                    format!("{} {} {why}: {consequence}", p.kind.element(), p.value),
                )
                .with_severity(if dropped {
                    Severity::Error
                } else {
                    Severity::Warning
                }),
            );
        }
    }
}
