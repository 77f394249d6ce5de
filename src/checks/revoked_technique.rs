//! ## revoked-technique (WM104)
//!
//! **What it finds:** an id revoked in the selected ATT&CK version (`--attack-version`,
//! default the newest). The message names the current replacement, following `revoked-by`
//! chains (T1073 -> T1574.002 -> T1574.001).
//!
//! **Why it matters:** a revoked id is a promise ATT&CK no longer keeps; reports and
//! coverage maps place it under a technique that is gone.
//!
//! **Example:** `<id>T1574.002</id>` (revoked by T1574.001 since 18.1)
//!
//! **Fix (safe)** when the replacement is active in the manager's ATT&CK version too.
//! Otherwise the finding is information only: T1562.001 is revoked in 19.2 by T1685, which
//! a Wazuh 4.x manager (v13.1) does not know; replacing it would lose the technique on the
//! dashboard, so keep it until the manager's data knows T1685.

use super::tags::tags_with_status;
use super::{Applicability, Check, CheckInfo, Context, Diagnostic, Edit, Fix, Scope, Severity};
use crate::attack::model::Status;
use crate::ruleset::load::RuleRef;

pub struct RevokedTechnique;

static INFO: CheckInfo = CheckInfo {
    code: "WM104",
    name: "revoked-technique",
    severity: Severity::Warning,
    summary: "id revoked in the selected ATT&CK version; names the replacement",
    fix: Some(Applicability::Safe),
    scope: Scope::Tags,
};

impl Check for RevokedTechnique {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let version = ctx.attack.version();
        for (tag, t) in tags_with_status(ctx.rule(r), ctx.attack, Status::Revoked) {
            let id = t.id.as_str();
            let Some(resolution) = ctx.attack.resolve(id) else {
                continue;
            };
            let span = tag.entry.value_span;
            let Some(current) = resolution.current() else {
                out.push(ctx.diag(
                    &INFO,
                    r,
                    span,
                    format!("`{id}` ({}) is revoked in ATT&CK {version} ({}), with no active replacement", t.name, resolution.arrow_text()),
                ));
                continue;
            };
            let chain = resolution.arrow_text();
            let manager = ctx.manager.version();
            if ctx.manager.is_active(&current.id) {
                out.push(
                    ctx.diag(
                        &INFO,
                        r,
                        span,
                        format!("`{id}` ({}) is revoked in ATT&CK {version}: {chain} {}", t.name, current.name),
                    )
                    .with_fix(Fix::safe(
                        format!("replace with `{}` ({}), active in {version} and in the manager's {manager}", current.id, current.name),
                        vec![Edit::replace(span, current.id.clone())],
                    )),
                );
            } else {
                out.push(
                    ctx.diag(
                        &INFO,
                        r,
                        span,
                        format!(
                            "`{id}` ({}) is revoked in ATT&CK {version} by `{}` ({}); keep it until your manager's ATT&CK data knows `{}` (the manager uses {manager})",
                            t.name, current.id, current.name, current.id
                        ),
                    )
                    .with_severity(Severity::Info)
                    .with_fix(Fix::display_only(format!(
                        "replace with `{}` once the manager's ATT&CK version has it",
                        current.id
                    ))),
                );
            }
        }
    }
}
