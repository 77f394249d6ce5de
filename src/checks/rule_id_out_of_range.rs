//! ## rule-id-out-of-range (WM202)
//!
//! **What it finds:** a custom rule (not an `overwrite="yes"`) whose id lies where the
//! Wazuh ruleset itself puts rules, outside the configured custom range (default
//! 100000-120000, the range Wazuh documents for custom rules):
//! - an id a stock rule already has, in a file other than that stock rule's own, when no
//!   ruleset is loaded (with one, duplicate-rule-id reports the collision);
//! - an id below 100000, which Wazuh keeps for its own ruleset (its maintainers ask
//!   contributors to number new stock rules below 100000);
//! - an id inside the span of a stock file above 100000 (150100-150150, 184665-185013 and
//!   500000-500102 in 4.14.7).
//!
//! **Why it matters:** an update of the ruleset can add a rule with that id; then one of the
//! two is dropped at start-up, silently. Ids elsewhere (200000, 900000, ...) are a team's
//! own choice and collide with nothing Wazuh ships, so they are not reported; the stock
//! ruleset's own rules, linted in their own files, are not either.
//!
//! **Example:** `<rule id="5800" level="5">` in `local_rules.xml`
//!
//! **Fix:** none automatic: renumbering changes every `if_sid` and alert query that names
//! the id. The range is configurable (`custom-range`, or `false` to turn the check off).

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::RuleRef;
use crate::ruleset::stock::{stock_id, StockId};

pub struct RuleIdOutOfRange;

static INFO: CheckInfo = CheckInfo {
    code: "WM202",
    name: "rule-id-out-of-range",
    severity: Severity::Warning,
    summary: "custom rule id where the Wazuh ruleset puts its own rules (an update may collide)",
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
        let file_name = ctx.ws.file_of(r).source.path.file_name();
        let message = match stock_id(id) {
            StockId::Free => return,
            StockId::Defined(stock_file) if file_name.is_some_and(|n| n == stock_file) => return,
            // With a ruleset loaded, duplicate-rule-id (WM201) reports the collision itself.
            StockId::Defined(_) if ctx.settings.have_ruleset => return,
            StockId::Defined(stock_file) => format!(
                "rule id {id} is a stock rule's id ({stock_file}); use the custom range {lo}-{hi}, or overwrite=\"yes\" to change the stock rule"
            ),
            StockId::Reserved => format!(
                "rule id {id} is in the ids the Wazuh ruleset uses for its own rules: an update may add a rule with this id; use the custom range {lo}-{hi}"
            ),
        };
        out.push(ctx.diag(&INFO, r, raw.span, message));
    }
}
