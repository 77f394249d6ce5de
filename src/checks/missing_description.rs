//! ## missing-description (WM208)
//!
//! **What it finds:** a rule without a `<description>`, or with an empty one.
//!
//! **Why it matters:** the manager refuses a rule without a description ("No such
//! description at rule"), and an empty one gives analysts an alert with no title.
//!
//! **Fix:** none automatic.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::RuleRef;

pub struct MissingDescription;

static INFO: CheckInfo = CheckInfo {
    code: "WM208",
    name: "missing-description",
    severity: Severity::Error,
    summary: "rule without a description (the manager refuses it)",
    fix: None,
    scope: Scope::Rules,
};

impl Check for MissingDescription {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let rule = ctx.rule(r);
        match &rule.description {
            None => out.push(ctx.diag(
                &INFO,
                r,
                rule.open_tag,
                "rule has no <description>; the manager refuses it",
            )),
            Some(d) if d.value.trim().is_empty() => out.push(
                ctx.diag(&INFO, r, rule.open_tag, "rule has an empty <description>")
                    .with_severity(Severity::Warning),
            ),
            _ => {}
        }
    }
}
