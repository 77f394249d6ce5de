//! ## duplicate-rule-id (WM201)
//!
//! **What it finds:** a rule id already defined by a rule that loads earlier (in the files
//! given, or in a `--ruleset` folder), without `overwrite="yes"`.
//!
//! **Why it matters:** the manager keeps the first definition; the later rule never fires.
//!
//! **Example:** two `local_rules.xml` files that both define rule 100101.
//!
//! **Fix:** none automatic; pick a free id, or add `overwrite="yes"` if replacing is meant.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::LoadEvent;

pub struct DuplicateRuleId;

static INFO: CheckInfo = CheckInfo {
    code: "WM201",
    name: "duplicate-rule-id",
    severity: Severity::Error,
    summary: "rule id already defined earlier in load order; the manager keeps the first",
    fix: None,
    scope: Scope::Rules,
};

impl Check for DuplicateRuleId {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_workspace(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for event in &ctx.replay.events {
            let LoadEvent::DuplicateId { rule, first } = *event else {
                continue;
            };
            let id_span = ctx
                .rule(rule)
                .id_raw()
                .map_or(ctx.rule(rule).open_tag, |s| s.span);
            out.push(ctx.diag(
                &INFO,
                rule,
                id_span,
                format!(
                    "rule id {} is already defined at {}; the manager keeps that one and drops this rule",
                    ctx.rule(rule).id.unwrap_or_default(),
                    ctx.location(first)
                ),
            ));
        }
    }
}
