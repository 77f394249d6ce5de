//! ## deprecated-technique (WM105)
//!
//! **What it finds:** an id deprecated in the selected ATT&CK version, naming the successor
//! where ATT&CK's description names one ("Please use [Command and Scripting Interpreter]").
//!
//! **Why it matters:** deprecated techniques are kept only for history; new reports and
//! coverage maps do not use them.
//!
//! **Example:** `<id>T1064</id>` (Scripting; ATT&CK says use T1059)
//!
//! **Fix (unsafe):** the single named successor, when the manager's version knows it; a
//! successor is broader or narrower than the old technique, so a reviewer should confirm.

use super::tags::tags_with_status;
use super::{Applicability, Check, CheckInfo, Context, Diagnostic, Edit, Fix, Scope, Severity};
use crate::attack::model::Status;
use crate::ruleset::load::RuleRef;

pub struct DeprecatedTechnique;

static INFO: CheckInfo = CheckInfo {
    code: "WM105",
    name: "deprecated-technique",
    severity: Severity::Warning,
    summary: "id deprecated in the selected ATT&CK version; names the successor",
    fix: Some(Applicability::Unsafe),
    scope: Scope::Tags,
};

impl Check for DeprecatedTechnique {
    fn info(&self) -> &'static CheckInfo {
        &INFO
    }

    fn check_rule(&self, ctx: &Context, r: RuleRef, out: &mut Vec<Diagnostic>) {
        let version = ctx.attack.version();
        for (tag, t) in tags_with_status(ctx.rule(r), ctx.attack, Status::Deprecated) {
            let id = t.id.as_str();
            // The successors live in the description, which only full bundles carry.
            let successors: Vec<&str> = if t.successors.is_empty() {
                ctx.db
                    .all_versions()
                    .filter_map(|v| v.technique(id))
                    .map(|t| &t.successors)
                    .find(|s| !s.is_empty())
                    .map(|s| s.iter().map(String::as_str).collect())
                    .unwrap_or_default()
            } else {
                t.successors.iter().map(String::as_str).collect()
            };
            let successors: Vec<&str> = successors
                .into_iter()
                .filter(|s| ctx.attack.is_active(s))
                .collect();
            let span = tag.entry.value_span;
            let named = |s: &str| {
                let name = ctx.attack.technique(s).map_or("", |t| t.name.as_str());
                format!("`{s}` ({name})")
            };
            let mut d = ctx.diag(
                &INFO,
                r,
                span,
                match successors.as_slice() {
                    [] => format!(
                        "`{id}` ({}) is deprecated in ATT&CK {version}, with no successor named",
                        t.name
                    ),
                    list => format!(
                        "`{id}` ({}) is deprecated in ATT&CK {version}; ATT&CK says use {}",
                        t.name,
                        list.iter()
                            .map(|s| named(s))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                },
            );
            d = d.with_fix(match successors.as_slice() {
                [one] if ctx.manager.is_active(one) => Fix::unsafe_(
                    format!("replace with {}", named(one)),
                    vec![Edit::replace(span, one.to_string())],
                ),
                [] => Fix::display_only("choose a current technique"),
                _ => Fix::display_only("choose the successor that fits the rule"),
            });
            out.push(d);
        }
    }
}
