//! ## revoked-technique (WM104)
//!
//! **What it finds:** an id revoked in the selected ATT&CK version (`--attack-version`,
//! default the newest). The message names the current replacement, following `revoked-by`
//! chains (T1073 -> T1574.002 -> T1574.001).
//!
//! **Why it matters:** a revoked id is a promise ATT&CK no longer keeps; reports and
//! coverage maps place it under a technique that is gone.
//!
//! **Example:** `<id>T1086</id>` (PowerShell, revoked by T1059.001 PowerShell)
//!
//! **Fix safety.** The manager resolves a tag against its own ATT&CK version (13.1 on Wazuh
//! 4.x) and shows what it finds there on every alert. A replacement is **safe** only when it
//! cannot change what the manager shows for the better or worse by surprise:
//! - the manager cannot resolve the old id today (its alerts carry nothing for it), and
//! - the manager resolves the new id with the meaning the newest version gives it (the same
//!   name).
//!
//! Otherwise the finding is information:
//! - the manager still resolves the old id, or knows the new one under another name: an
//!   **unsafe** fix whose description names both meanings (T1574.002 is DLL Side-Loading on
//!   a 13.1 manager, and T1574.001 is DLL Search Order Hijacking there);
//! - the manager does not know the new id at all (T1562.001 -> T1685 on 13.1): advice only,
//!   since the alerts would lose their technique; keep the old id until the manager's data
//!   knows the new one.

use super::tags::tags_with_status;
use super::{Applicability, Check, CheckInfo, Context, Diagnostic, Edit, Fix, Scope, Severity};
use crate::attack::model::{Status, Technique};
use crate::attack::AttackVersion;
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

/// What replacing a revoked id does on the manager's dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplacementSafety {
    /// The old id shows nothing today and the new one shows its newest meaning.
    Safe,
    /// The manager shows something today, or the new id means something else there.
    ChangesMeaning,
    /// The manager does not know the new id: the alerts would lose their technique.
    UnknownToManager,
}

/// How replacing `old` by `new` (active in the newest version) changes what `manager` shows.
pub fn replacement_safety(
    manager: &AttackVersion,
    old: &str,
    new: &Technique,
) -> ReplacementSafety {
    let Some(known) = manager
        .technique(&new.id)
        .filter(|t| t.status == Status::Active)
    else {
        return ReplacementSafety::UnknownToManager;
    };
    let same_meaning = known.name.eq_ignore_ascii_case(&new.name);
    if !manager.is_active(old) && same_meaning {
        ReplacementSafety::Safe
    } else {
        ReplacementSafety::ChangesMeaning
    }
}

impl Check for RevokedTechnique {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let version = ctx.attack.version();
        let manager = ctx.manager.version();
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
            let new = current.id.as_str();
            let replace = vec![Edit::replace(span, new.to_string())];
            let diagnostic = match replacement_safety(ctx.manager, id, current) {
                ReplacementSafety::Safe => ctx
                    .diag(
                        &INFO,
                        r,
                        span,
                        format!("`{id}` ({}) is revoked in ATT&CK {version}: {chain} {}", t.name, current.name),
                    )
                    .with_fix(Fix::safe(
                        format!("replace with `{new}` ({}), which your {manager} manager shows with the same meaning", current.name),
                        replace,
                    )),
                ReplacementSafety::ChangesMeaning => {
                    let shown = |x: &str| {
                        ctx.manager
                            .technique(x)
                            .filter(|t| t.status == Status::Active)
                            .map_or_else(|| "nothing".to_string(), |t| t.name.clone())
                    };
                    let meanings = format!(
                        "your {manager} manager shows `{id}` as {}; `{new}` is {} there",
                        shown(id),
                        shown(new)
                    );
                    ctx.diag(
                        &INFO,
                        r,
                        span,
                        format!(
                            "`{id}` ({}) is revoked in ATT&CK {version} by `{new}` ({}); {meanings}",
                            t.name, current.name
                        ),
                    )
                    .with_severity(Severity::Info)
                    .with_fix(Fix::unsafe_(
                        format!("replace with `{new}` ({}): {meanings}", current.name),
                        replace,
                    ))
                }
                ReplacementSafety::UnknownToManager => ctx
                    .diag(
                        &INFO,
                        r,
                        span,
                        format!(
                            "`{id}` ({}) is revoked in ATT&CK {version} by `{new}` ({}); keep it until your manager's ATT&CK data knows `{new}` (the manager uses {manager})",
                            t.name, current.name
                        ),
                    )
                    .with_severity(Severity::Info)
                    .with_fix(Fix::display_only(format!(
                        "replace with `{new}` once the manager's ATT&CK version has it"
                    ))),
            };
            out.push(diagnostic);
        }
    }
}
