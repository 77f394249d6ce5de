//! ## mitre-block-structure (WM109)
//!
//! **What it finds:** `<mitre>` blocks the manager discards or ignores: an empty block, an
//! empty entry, an unknown child element, `<id>` mixed with the `<tacticID>`/`<techniqueID>`
//! pair form in one block, more than one pair in one block, a technique without its tactic
//! (or the reverse), and a rule that uses both forms in different blocks (the manager then
//! drops the `<id>` ones).
//!
//! **Why it matters:** the manager warns once at start-up and the alert silently loses its
//! techniques.
//!
//! **Example:** `<mitre><id>T1110</id><tacticID>TA0006</tacticID></mitre>`
//!
//! **Fix (safe)** for an empty block only: remove it. The others need a human.

use super::tags::removal_span;
use super::{Applicability, Check, CheckInfo, Context, Diagnostic, Edit, Fix, Scope, Severity};
use crate::ruleset::load::RuleRef;
use crate::ruleset::MitreEntryKind as K;

pub struct MitreBlockStructure;

static INFO: CheckInfo = CheckInfo {
    code: "WM109",
    name: "mitre-block-structure",
    severity: Severity::Error,
    summary:
        "<mitre> block the manager discards (empty, unknown child, mixed or incomplete pair form)",
    fix: Some(Applicability::Safe),
    scope: Scope::Tags,
};

impl Check for MitreBlockStructure {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let rule = ctx.rule(r);
        let mut uses_ids = false;
        let mut uses_pairs = false;
        for block in &rule.mitre {
            let count = |k: K| block.entries.iter().filter(|e| e.kind == k).count();
            let (ids, tactics, techniques) =
                (count(K::Id), count(K::TacticId), count(K::TechniqueId));
            if block.entries.is_empty() {
                out.push(
                    ctx.diag(&INFO, r, block.span, "empty <mitre> block: it tags nothing")
                        .with_severity(Severity::Warning)
                        .with_fix(Fix::safe(
                            "remove the empty block",
                            vec![Edit::delete(removal_span(ctx.text(r), block.span))],
                        )),
                );
                continue;
            }
            let mut discarded = |span, why: String| {
                out.push(ctx.diag(
                    &INFO,
                    r,
                    span,
                    format!("{why}: the manager discards this <mitre> block"),
                ));
            };
            for e in &block.entries {
                match &e.kind {
                    K::UnknownElement(name) => discarded(
                        e.span,
                        format!("<{name}> is not a <mitre> child (use <id>, or <tacticID> with <techniqueID>)"),
                    ),
                    K::Id | K::TacticId | K::TechniqueId if e.value.trim().is_empty() => {
                        discarded(e.span, "empty entry".to_string())
                    }
                    _ => {}
                }
            }
            if ids > 0 && tactics + techniques > 0 {
                discarded(
                    block.span,
                    "<id> mixed with <tacticID>/<techniqueID> in one block".into(),
                );
            } else if tactics > 1 || techniques > 1 {
                discarded(
                    block.span,
                    "more than one tactic/technique pair in one block".into(),
                );
            } else if techniques == 1 && tactics == 0 {
                discarded(block.span, "<techniqueID> without its <tacticID>".into());
            } else if tactics == 1 && techniques == 0 {
                discarded(block.span, "<tacticID> without its <techniqueID>".into());
            }
            uses_ids |= ids > 0 && tactics + techniques == 0;
            uses_pairs |= ids == 0 && tactics == 1 && techniques == 1;
        }
        if uses_ids && uses_pairs {
            for block in rule
                .mitre
                .iter()
                .filter(|b| b.entries.iter().any(|e| e.kind == K::Id))
            {
                out.push(
                    ctx.diag(
                        &INFO,
                        r,
                        block.span,
                        "this rule also uses the <tacticID>/<techniqueID> form: the manager drops its <id> entries",
                    )
                    .with_severity(Severity::Warning),
                );
            }
        }
    }
}
