//! ## platform-mismatch (WM112)
//!
//! **What it finds:** a rule that clearly concerns one platform (Windows event-channel
//! fields, Sysmon, auditd, sshd, ... in the rule or its parents) tagged with a technique
//! whose ATT&CK platforms do not include it.
//!
//! **Why it matters:** it often means a mistyped id (T1548.003 Sudo on a Windows rule) and
//! puts the alert in the wrong cell of a platform coverage map. It is information, not a
//! warning: a rule may watch the attacker's side (pscp.exe on Windows for SSH, Impacket on
//! Linux for Pass the Hash), where the mapping is right. Techniques whose only platform is
//! PRE (reconnaissance, resource development) are never platform-bound and never reported.
//!
//! **Example:** a `win.eventdata.*` rule tagged `T1548.003` (Sudo and Sudo Caching).
//!
//! **Fix:** none automatic.

use super::tags::technique_tags;
use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::ruleset::load::RuleRef;
use crate::ruleset::platform::rule_platform;

pub struct PlatformMismatch;

static INFO: CheckInfo = CheckInfo {
    code: "WM112",
    name: "platform-mismatch",
    severity: Severity::Info,
    summary: "technique whose ATT&CK platforms exclude the rule's clear platform",
    fix: None,
    scope: Scope::Rules,
};

impl Check for PlatformMismatch {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let rule = ctx.rule(r);
        if rule.mitre.is_empty() {
            return;
        }
        let Some(platform) = rule_platform(ctx.ws, ctx.replay, r) else {
            return;
        };
        for tag in technique_tags(rule) {
            let Some(id) = tag.technique_id() else {
                continue;
            };
            let Some(t) = ctx
                .attack
                .technique(id)
                .or_else(|| ctx.manager.technique(id))
            else {
                continue;
            };
            let pre_only = t.platforms.iter().all(|p| p == "PRE");
            if pre_only || t.platforms.iter().any(|p| p == platform.attack_name()) {
                continue;
            }
            out.push(ctx.diag(
                &INFO,
                r,
                tag.entry.value_span,
                format!(
                    "this is a {} rule, but `{id}` ({}) lists only {}",
                    platform.attack_name(),
                    t.name,
                    t.platforms.join(", ")
                ),
            ));
        }
    }
}
