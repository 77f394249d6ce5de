//! ## missing-technique (WM001)
//!
//! **What it finds:** an alerting rule (level at or above `missing-technique-min-level`,
//! default 1, and not `noalert`) that carries no ATT&CK tag at all.
//!
//! **Why it matters:** an untagged alert never reaches the ATT&CK views of the dashboard,
//! and coverage reports count the detection as nothing.
//!
//! **Not reported:** an umbrella rule, one that loaded rules name in `if_sid` or
//! `if_matched_sid`. It sorts events for its children, which carry the meaning (tag them);
//! on the stock ruleset 360 of 2,797 untagged alerting rules are such umbrellas
//! ("Windows audit failure event", "sshd messages grouped").
//!
//! **Example:**
//! ```xml
//! <rule id="100200" level="10">
//!   <if_sid>60122</if_sid>
//!   <description>Logon failure for a disabled account</description>
//! </rule>
//! ```
//!
//! **Fix:** none here; `wazuh-mitre suggest` ranks candidates, and `fix --add-tags` adds the
//! high-confidence ones.

use super::{Applicability, Check, CheckInfo, Context, Diagnostic, Fix, Scope, Severity};
use crate::ruleset::load::RuleRef;
use std::sync::{Arc, LazyLock};

pub struct MissingTechnique;

/// The same advice for every untagged rule, so made once.
static SUGGEST: LazyLock<Arc<Fix>> = LazyLock::new(|| {
    Arc::new(Fix::display_only(
        "run `wazuh-mitre suggest` for ranked candidates, or `fix --add-tags`",
    ))
});

pub static INFO: CheckInfo = CheckInfo {
    code: "WM001",
    name: "missing-technique",
    severity: Severity::Warning,
    summary: "alerting rule without any ATT&CK technique tag",
    fix: Some(Applicability::DisplayOnly),
    scope: Scope::Rules,
};

impl Check for MissingTechnique {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let rule = ctx.rule(r);
        let has_any_entry = rule.mitre.iter().any(|b| !b.entries.is_empty());
        if has_any_entry
            || !rule.alerts_at(ctx.settings.missing_technique_min_level)
            || ctx.replay.with_children.contains(&r)
        {
            return;
        }
        let level = rule.level.unwrap_or_default();
        out.push(
            ctx.diag(
                &INFO,
                r,
                rule.open_tag,
                format!("rule alerts at level {level} but carries no ATT&CK technique"),
            )
            .with_shared_fix(&SUGGEST),
        );
    }
}
