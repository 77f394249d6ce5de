//! ## tactic-technique-mismatch (WM110)
//!
//! **What it finds:** in the pair form, a `<tacticID>` that is not one of the
//! `<techniqueID>`'s tactics (in the selected version or in the manager's).
//!
//! **Why it matters:** the dashboard files the alert under a tactic ATT&CK does not
//! associate with the technique; coverage by tactic is then wrong.
//!
//! **Example:** `<tacticID>TA0002</tacticID><techniqueID>T1110</techniqueID>`
//!
//! **Fix:** none automatic; the message lists the technique's tactics.

use super::{Check, CheckInfo, Context, Diagnostic, Scope, Severity};
use crate::attack::ids::{classify, IdShape};
use crate::ruleset::load::RuleRef;
use crate::ruleset::MitreEntryKind as K;

pub struct TacticTechniqueMismatch;

static INFO: CheckInfo = CheckInfo {
    code: "WM110",
    name: "tactic-technique-mismatch",
    severity: Severity::Warning,
    summary: "pair form whose tactic is not one of the technique's tactics",
    fix: None,
    scope: Scope::Tags,
};

impl Check for TacticTechniqueMismatch {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        for block in &ctx.rule(r).mitre {
            let find = |k: K| block.entries.iter().find(|e| e.kind == k);
            let (Some(tactic), Some(technique)) = (find(K::TacticId), find(K::TechniqueId)) else {
                continue;
            };
            let (tactic_id, technique_id) = (tactic.value.trim(), technique.value.trim());
            if classify(tactic_id) != IdShape::Tactic
                || classify(technique_id) != IdShape::Technique
            {
                continue;
            }
            let fits = |v: &crate::attack::AttackVersion| {
                let t = v.technique(technique_id)?;
                let tac = v.tactic(tactic_id)?;
                Some(t.tactics.contains(&tac.shortname))
            };
            let verdicts = [fits(ctx.attack), fits(ctx.manager)];
            if verdicts.contains(&Some(true)) || verdicts.iter().all(Option::is_none) {
                continue;
            }
            let v = if ctx.attack.technique(technique_id).is_some() {
                ctx.attack
            } else {
                ctx.manager
            };
            let Some(t) = v.technique(technique_id) else {
                continue;
            };
            let names: Vec<String> = v
                .tactics_of(t)
                .iter()
                .map(|x| {
                    format!(
                        "{} {}",
                        x.id,
                        ctx.tactic_name(&x.id).unwrap_or(x.name.clone())
                    )
                })
                .collect();
            out.push(ctx.diag(
                &INFO,
                r,
                tactic.value_span,
                format!(
                    "`{technique_id}` ({}) is not under tactic `{tactic_id}` in ATT&CK {}; its tactics: {}",
                    t.name,
                    v.version(),
                    names.join(", ")
                ),
            ));
        }
    }
}
