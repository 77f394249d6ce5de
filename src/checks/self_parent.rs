//! ## self-parent (WM205)
//!
//! **What it finds:** a rule that names its own id in `if_sid`/`if_matched_sid` (stock rule
//! 91821 does).
//!
//! **Why it matters:** a rule cannot follow itself; the manager ignores that parent, and
//! the author probably meant a sibling rule.
//!
//! **Fix:** none automatic.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::LoadEvent;

pub struct SelfParent;

static INFO: CheckInfo = CheckInfo {
    code: "WM205",
    name: "self-parent",
    severity: Severity::Warning,
    summary: "rule names itself as its parent",
    fix: None,
    scope: Scope::Rules,
};

impl Check for SelfParent {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_workspace(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for event in &ctx.replay.events {
            let LoadEvent::SelfParent { rule, parent } = *event else {
                continue;
            };
            let p = &ctx.rule(rule).parents[parent];
            out.push(ctx.diag(
                &INFO,
                rule,
                p.span,
                format!(
                    "rule {} names itself in <{}>; the manager ignores this parent",
                    p.value,
                    p.kind.element()
                ),
            ));
        }
    }
}
