//! ## unknown-to-manager (WM106)
//!
//! **What it finds:** an id that is fine in the selected ATT&CK version but unknown, revoked
//! or deprecated in the manager's version (`--manager-attack`, default 13.1, what Wazuh 4.x
//! managers resolve ids against).
//!
//! **Why it matters:** the manager logs "Mitre Technique ID '...' not found in database"
//! and the dashboard cannot place the alert.
//!
//! **Example:** `<id>T1685</id>` (new in 19.2) on a 4.x manager.
//!
//! **Fix:** none automatic; use an id the manager knows until its ATT&CK data is updated.

use super::tags::technique_tags;
use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::attack::model::Status;
use crate::ruleset::load::RuleRef;

pub struct UnknownToManager;

static INFO: CheckInfo = CheckInfo {
    code: "WM106",
    name: "unknown-to-manager",
    severity: Severity::Warning,
    summary: "id current in ATT&CK but unknown, revoked or deprecated in the manager's version",
    fix: None,
    scope: Scope::Tags,
};

impl Check for UnknownToManager {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        if ctx.attack.version() == ctx.manager.version() {
            return;
        }
        let manager = ctx.manager.version();
        for tag in technique_tags(ctx.rule(r)) {
            let Some(id) = tag.technique_id() else {
                continue;
            };
            if !ctx.attack.is_active(id) {
                continue;
            }
            let problem = match ctx.manager.technique(id).map(|t| t.status) {
                Some(Status::Active) => continue,
                None => format!(
                    "`{id}` is not in the manager's ATT&CK {manager}: it logs \"Mitre Technique ID '{id}' not found in database\" and the dashboard cannot place the alert"
                ),
                Some(status) => format!(
                    "`{id}` is {} in the manager's ATT&CK {manager}: the dashboard shows a technique ATT&CK no longer uses",
                    status.as_str()
                ),
            };
            out.push(ctx.diag(&INFO, r, tag.entry.value_span, problem));
        }
    }
}
