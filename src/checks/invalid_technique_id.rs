//! ## invalid-technique-id (WM101)
//!
//! **What it finds:** text inside `<mitre>` that is not an ATT&CK id: lowercase `t1059`,
//! surrounding spaces, `T047`, `T1059.1`, or stray text directly inside the block (the
//! stock ruleset's `</id>>`).
//!
//! **Why it matters:** the manager looks the text up as written; it finds nothing and the
//! alert loses its technique.
//!
//! **Example:** `<id> t1059.001 </id>`, `<id>T1012</id>>`
//!
//! **Fix (safe):** the normalised id (`T1059.001`) where exactly one id is meant; stray text
//! is removed. Ids that cannot be read are left for a human.

use super::{Applicability, Check, CheckInfo, Context, Diagnostic, Edit, Fix, Scope, Severity};
use crate::attack::ids::{classify, IdShape};
use crate::ruleset::load::RuleRef;
use crate::ruleset::MitreEntryKind;

pub struct InvalidTechniqueId;

static INFO: CheckInfo = CheckInfo {
    code: "WM101",
    name: "invalid-technique-id",
    severity: Severity::Error,
    summary: "text inside <mitre> that is not an ATT&CK id (case, spaces, T047, stray text)",
    fix: Some(Applicability::Safe),
    scope: Scope::Tags,
};

impl Check for InvalidTechniqueId {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let rule = ctx.rule(r);
        let text = ctx.text(r);
        for entry in rule.mitre.iter().flat_map(|b| &b.entries) {
            if entry.kind == MitreEntryKind::StrayText {
                out.push(
                    ctx.diag(
                        &INFO,
                        r,
                        entry.span,
                        format!("stray text `{}` inside <mitre>", entry.value),
                    )
                    .with_fix(Fix::safe(
                        format!("remove `{}`", entry.value),
                        vec![Edit::delete(entry.span)],
                    )),
                );
                continue;
            }
            if !matches!(
                entry.kind,
                MitreEntryKind::Id | MitreEntryKind::TechniqueId | MitreEntryKind::TacticId
            ) || entry.value.trim().is_empty()
            {
                continue;
            }
            let shown = entry.value_span.slice(text);
            let wants_tactic = entry.kind == MitreEntryKind::TacticId;
            match classify(&entry.value) {
                IdShape::Technique | IdShape::Tactic | IdShape::Placeholder => {}
                IdShape::Normalisable(id) if !wants_tactic => out.push(
                    ctx.diag(
                        &INFO,
                        r,
                        entry.value_span,
                        format!(
                            "`{shown}` is not written as an ATT&CK id; the manager reads it as is"
                        ),
                    )
                    .with_fix(Fix::safe(
                        format!("write `{id}`"),
                        vec![Edit::replace(entry.value_span, id)],
                    )),
                ),
                IdShape::NormalisableTactic(id) if wants_tactic => out.push(
                    ctx.diag(
                        &INFO,
                        r,
                        entry.value_span,
                        format!("`{shown}` is not written as an ATT&CK tactic id"),
                    )
                    .with_fix(Fix::safe(
                        format!("write `{id}`"),
                        vec![Edit::replace(entry.value_span, id)],
                    )),
                ),
                _ => out.push(ctx.diag(
                    &INFO,
                    r,
                    entry.value_span,
                    format!(
                        "`{shown}` is not an ATT&CK {} id",
                        if wants_tactic { "tactic" } else { "technique" }
                    ),
                )),
            }
        }
    }
}
