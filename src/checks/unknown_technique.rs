//! ## unknown-technique (WM103)
//!
//! **What it finds:** a well-formed technique id that no ATT&CK Enterprise version defines
//! (`T1999`, or ICS ids such as `T0006`).
//!
//! **Why it matters:** the manager cannot resolve it; the dashboard shows no technique.
//!
//! **Example:** `<id>T0006</id>`
//!
//! **Fix:** none; the intended technique is unknown.

use super::tags::technique_tags;
use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::RuleRef;

pub struct UnknownTechnique;

static INFO: CheckInfo = CheckInfo {
    code: "WM103",
    name: "unknown-technique",
    severity: Severity::Error,
    summary: "well-formed id that no ATT&CK Enterprise version defines",
    fix: None,
    scope: Scope::Tags,
};

impl Check for UnknownTechnique {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        for tag in technique_tags(ctx.rule(r)) {
            let Some(id) = tag.technique_id() else {
                continue;
            };
            if ctx.attack.technique(id).is_some() || ctx.manager.technique(id).is_some() {
                continue;
            }
            if ctx.db.all_versions().any(|v| v.technique(id).is_some()) {
                continue;
            }
            let hint = if id.starts_with("T0") {
                " (T0### ids are ATT&CK for ICS, not Enterprise)"
            } else {
                ""
            };
            out.push(ctx.diag(
                &INFO,
                r,
                tag.entry.value_span,
                format!(
                    "`{id}` is in no ATT&CK Enterprise version ({}){hint}",
                    ctx.db.version_names().join(", ")
                ),
            ));
        }
    }
}
