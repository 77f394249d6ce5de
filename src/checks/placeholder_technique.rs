//! ## placeholder-technique (WM111)
//!
//! **What it finds:** a `$(field)` placeholder inside `<id>`, as in the stock
//! `<id>$(threat.software.id)</id>`.
//!
//! **Why it matters:** the id is only known when an alert fires; no static check can vouch
//! for it, and coverage maps cannot count it. Reported as information.
//!
//! **Fix:** none.

use super::tags::technique_tags;
use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::attack::ids::IdShape;
use crate::ruleset::load::RuleRef;

pub struct PlaceholderTechnique;

static INFO: CheckInfo = CheckInfo {
    code: "WM111",
    name: "placeholder-technique",
    severity: Severity::Info,
    summary: "$(field) placeholder as a technique id, resolved only at alert time",
    fix: None,
    scope: Scope::Tags,
};

impl Check for PlaceholderTechnique {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        for tag in technique_tags(ctx.rule(r)) {
            if tag.shape == IdShape::Placeholder {
                out.push(ctx.diag(
                    &INFO,
                    r,
                    tag.entry.value_span,
                    format!(
                        "`{}` is filled in when an alert fires; it cannot be checked or counted in coverage",
                        tag.entry.value.trim()
                    ),
                ));
            }
        }
    }
}
