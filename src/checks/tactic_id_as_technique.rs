//! ## tactic-id-as-technique (WM102)
//!
//! **What it finds:** a tactic id (`TA0006`) where a technique id belongs: in `<id>` or
//! `<techniqueID>`.
//!
//! **Why it matters:** the manager looks it up as a technique, fails, and the alert carries
//! no technique (the stock 0995-microsoft-graph_rules.xml has 45 of these).
//!
//! **Example:** `<mitre><id>TA0006</id></mitre>`
//!
//! **Fix (unsafe):** `fix --unsafe-fixes` replaces it with the technique the suggester ranks
//! first for the rule within that tactic; which technique is meant needs a reviewer.

use super::tags::technique_tags;
use super::{Applicability, Check, CheckInfo, Context, Diagnostic, Edit, Fix, Scope, Severity};
use crate::attack::ids::IdShape;
use crate::ruleset::load::RuleRef;

pub struct TacticIdAsTechnique;

static INFO: CheckInfo = CheckInfo {
    code: "WM102",
    name: "tactic-id-as-technique",
    severity: Severity::Error,
    summary: "a tactic id (TA####) where a technique id belongs",
    fix: Some(Applicability::Unsafe),
    scope: Scope::Tags,
};

impl Check for TacticIdAsTechnique {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let rule = ctx.rule(r);
        for tag in technique_tags(rule) {
            let tactic_id = match &tag.shape {
                IdShape::Tactic => tag.entry.value.clone(),
                IdShape::NormalisableTactic(id) => id.clone(),
                _ => continue,
            };
            let label = ctx
                .tactic_name(&tactic_id)
                .map_or(String::new(), |n| format!(" ({n})"));
            let mut d = ctx.diag(
                &INFO,
                r,
                tag.entry.value_span,
                format!(
                    "`{tactic_id}`{label} is a tactic id: the manager looks it up as a technique, fails, and the alert carries no technique"
                ),
            );
            let best = ctx
                .chooser
                .and_then(|c| c.best_in_tactic(r, &tactic_id))
                .filter(|id| ctx.manager.is_active(id));
            d = d.with_fix(match best {
                Some(id) => Fix::unsafe_(
                    format!("replace with `{id}`, the suggester's best technique for this rule in {tactic_id}"),
                    vec![Edit::replace(tag.entry.value_span, id)],
                ),
                None => Fix::display_only(format!("replace with a technique of {tactic_id}")),
            });
            out.push(d);
        }
    }
}
