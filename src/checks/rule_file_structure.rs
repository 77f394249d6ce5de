//! ## rule-file-structure (WM209)
//!
//! **What it finds:** elements where the manager accepts none: anything but `<group>` and
//! `<var>` at the top level of a rule file, anything but `<rule>` inside a `<group>`.
//!
//! **Why it matters:** the manager rejects the whole file at start-up.
//!
//! **Fix:** none automatic.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::Origin;

pub struct RuleFileStructure;

static INFO: CheckInfo = CheckInfo {
    code: "WM209",
    name: "rule-file-structure",
    severity: Severity::Error,
    summary: "element the manager does not accept at that place of a rule file",
    fix: None,
    scope: Scope::Rules,
};

impl Check for RuleFileStructure {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_workspace(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (i, lf) in ctx.ws.files.iter().enumerate() {
            if lf.origin != Origin::Linted {
                continue;
            }
            for p in &lf.file.structure_problems {
                out.push(Diagnostic {
                    check: &INFO,
                    severity: INFO.severity,
                    file: i,
                    span: p.span,
                    rule_id: None,
                    rule: None,
                    message: p.value.as_str().into(),
                    fix: None,
                });
            }
        }
    }
}
