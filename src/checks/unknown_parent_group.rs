//! ## unknown-parent-group (WM206)
//!
//! **What it finds:** an `if_group`/`if_matched_group` that no rule loaded before this one
//! carries: a typo such as `sysmon_event_7` (the stock group is `sysmon_event7`), or a group
//! defined only in a file that loads later. "Carried nowhere" is only reported when a
//! ruleset is loaded.
//!
//! **Why it matters:** the manager ignores the rule (warning 7619) and it never fires.
//!
//! **Fix:** none automatic; the message names a close group when there is one.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::{same_group_squashed, LoadEvent};

pub struct UnknownParentGroup;

static INFO: CheckInfo = CheckInfo {
    code: "WM206",
    name: "unknown-parent-group",
    severity: Severity::Error,
    summary: "if_group that no rule loaded before this one carries",
    fix: None,
    scope: Scope::Rules,
};

impl Check for UnknownParentGroup {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_workspace(&self, ctx: &Context, out: &mut Vec<Diagnostic>) {
        for event in &ctx.replay.events {
            let LoadEvent::GroupNotFound {
                rule,
                parent,
                later,
            } = *event
            else {
                continue;
            };
            if later.is_none() && !ctx.settings.have_ruleset {
                continue;
            }
            let p = &ctx.rule(rule).parents[parent];
            let why = match later {
                Some(l) => format!(
                    "is first carried by a rule that loads later ({})",
                    ctx.location(l)
                ),
                None => {
                    let close = ctx
                        .replay
                        .group_names(rule)
                        .filter(|g| same_group_squashed(g, &p.value))
                        .min();
                    match close {
                        Some(g) => format!("is carried by no loaded rule (did you mean `{g}`?)"),
                        None => "is carried by no loaded rule".to_string(),
                    }
                }
            };
            let dropped = ctx.replay.dropped.contains(&rule);
            out.push(
                ctx.diag(
                    &INFO,
                    rule,
                    p.span,
                    format!(
                        "<{}> `{}` {why}: {}",
                        p.kind.element(),
                        p.value,
                        if dropped {
                            "the manager ignores this rule"
                        } else {
                            "the manager ignores this parent"
                        }
                    ),
                )
                .with_severity(if dropped {
                    Severity::Error
                } else {
                    Severity::Warning
                }),
            );
        }
    }
}
