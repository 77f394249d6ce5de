//! ## invalid-rule-attributes (WM207)
//!
//! **What it finds:** a rule without a numeric `id` or `level`, or with a level outside
//! 0-16.
//!
//! **Why it matters:** the manager refuses the rule ("No rule id or level specified"); a
//! level outside 0-16 is not a Wazuh level and breaks alert thresholds.
//!
//! **Fix:** none automatic.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::RuleRef;

pub struct InvalidRuleAttributes;

static INFO: CheckInfo = CheckInfo {
    code: "WM207",
    name: "invalid-rule-attributes",
    severity: Severity::Error,
    summary: "rule id or level missing, not a number, or level outside 0-16",
    fix: None,
    scope: Scope::Rules,
};

impl Check for InvalidRuleAttributes {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let rule = ctx.rule(r);
        match (rule.id_raw(), rule.id) {
            (None, _) => out.push(ctx.diag(&INFO, r, rule.open_tag, "rule has no id attribute")),
            (Some(raw), None) => out.push(ctx.diag(
                &INFO,
                r,
                raw.span,
                format!("rule id `{}` is not a number", raw.value),
            )),
            _ => {}
        }
        match (rule.level_raw(), rule.level) {
            (None, _) => out.push(ctx.diag(&INFO, r, rule.open_tag, "rule has no level attribute")),
            (Some(raw), None) => out.push(ctx.diag(
                &INFO,
                r,
                raw.span,
                format!("level `{}` is not a number", raw.value),
            )),
            (Some(raw), Some(l)) if !(0..=16).contains(&l) => {
                out.push(ctx.diag(&INFO, r, raw.span, format!("level {l} is outside 0-16")))
            }
            _ => {}
        }
    }
}
