//! ## overwrite-missing-rule (WM203)
//!
//! **What it finds:** `overwrite="yes"` on a rule id that no rule loaded before it defines.
//!
//! **Why it matters:** the author meant to change a stock rule, but there is nothing to
//! change: often a typo in the id, or a stock rule renumbered by an upgrade.
//!
//! **Fix:** none automatic.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::LoadEvent;

pub struct OverwriteMissingRule;

static INFO: CheckInfo = CheckInfo {
    code: "WM203",
    name: "overwrite-missing-rule",
    severity: Severity::Warning,
    summary: "overwrite=\"yes\" on a rule id that exists nowhere before it",
    fix: None,
    scope: Scope::Rules,
};

impl Check for OverwriteMissingRule {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_workspace(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        if !ctx.settings.have_ruleset {
            // Without the stock ruleset, the overwritten rule is simply not loaded.
            return;
        }
        for event in &ctx.replay.events {
            let LoadEvent::OverwriteMissing { rule } = *event else {
                continue;
            };
            let span = ctx
                .rule(rule)
                .attribute("overwrite")
                .map_or(ctx.rule(rule).open_tag, |a| a.span);
            out.push(ctx.diag(
                &INFO,
                rule,
                span,
                format!(
                    "overwrite=\"yes\" but no rule {} is loaded before this one",
                    ctx.rule(rule).id.unwrap_or_default()
                ),
            ));
        }
    }
}
