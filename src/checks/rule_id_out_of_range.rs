//! ## rule-id-out-of-range (WM202)
//!
//! **What it finds:** a custom rule whose id is outside the configured custom range
//! (default 100000-120000, the range Wazuh documents) and that is not an `overwrite="yes"`
//! of an existing rule.
//!
//! **Why it matters:** ids outside the range can collide with rules a later Wazuh release
//! ships; the new stock rule then wins or loses silently. Many teams use other ranges, so
//! this is a warning and the range is configurable (`custom-range`, or `false` to turn off).
//!
//! **Fix:** none automatic.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::RuleRef;

pub struct RuleIdOutOfRange;

static INFO: CheckInfo = CheckInfo {
    code: "WM202",
    name: "rule-id-out-of-range",
    severity: Severity::Warning,
    summary: "custom rule id outside the configured custom range (default 100000-120000)",
    fix: None,
    scope: Scope::Rules,
};

impl Check for RuleIdOutOfRange {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let Some((lo, hi)) = ctx.settings.custom_range else {
            return;
        };
        let rule = ctx.rule(r);
        let (Some(id), Some(raw)) = (rule.id, rule.id_raw()) else {
            return;
        };
        if rule.overwrite || (lo..=hi).contains(&id) {
            return;
        }
        out.push(ctx.diag(
            &INFO,
            r,
            raw.span,
            format!(
                "rule id {id} is outside the custom range {lo}-{hi} and does not overwrite a rule"
            ),
        ));
    }
}
