//! Effective tags: the (rule, technique) pairs the manager would put on an alert, and for every
//! other tag the reason it would not.

use super::{CannotAlert, RuleAt};
use crate::attack::AttackVersion;
use crate::project::Project;
use crate::ruleset::load::{LoadEvent, Origin, RuleRef};
use crate::ruleset::{MitreBlock, MitreEntryKind as K, Rule};
use std::collections::HashMap;

/// A tag that reaches alerts.
pub struct EffectiveTag {
    pub rule: RuleAt,
    /// The id in the selected ATT&CK version.
    pub id: String,
    /// The id as written.
    pub written: String,
}

pub struct Effective {
    pub tags: Vec<EffectiveTag>,
    pub cannot_alert: Vec<CannotAlert>,
    pub rules_counted: usize,
}

/// Where a rule stands, for the report.
pub fn rule_at(project: &Project, r: RuleRef) -> RuleAt {
    let file = project.ws.file_of(r);
    let rule = project.ws.rule(r);
    let line = if file.source.text.is_empty() {
        0
    } else {
        file.source
            .lines
            .line_col(&file.source.text, rule.span.start())
            .line
    };
    RuleAt {
        rule_id: rule.id.unwrap_or(0),
        file: crate::ruleset::paths::display_path(&file.source.path),
        line,
    }
}

/// Whether the manager discards a `<mitre>` block (as WM109 explains).
fn discarded(block: &MitreBlock) -> bool {
    let count = |k: K| block.entries.iter().filter(|e| e.kind == k).count();
    let (ids, tactics, techniques) = (count(K::Id), count(K::TacticId), count(K::TechniqueId));
    let unknown = block
        .entries
        .iter()
        .any(|e| matches!(e.kind, K::UnknownElement(_)));
    unknown
        || (ids > 0 && tactics + techniques > 0)
        || (tactics + techniques > 0 && !(tactics == 1 && techniques == 1))
}

/// Why a loaded rule's alerts never reach alerts.json, if they do not.
fn cannot_alert(rule: &Rule) -> Option<String> {
    match rule.level {
        None => Some("its level is not a number the manager reads".into()),
        Some(0) => Some("level 0: the rule never raises an alert".into()),
        _ if rule.noalert => Some("noalert=\"1\": the rule never raises an alert".into()),
        _ if rule.options.iter().any(|o| o == "no_log") => {
            Some("<options>no_log</options>: the alert is kept out of alerts.json".into())
        }
        _ => None,
    }
}

pub fn collect(project: &Project, version: &AttackVersion, only: bool) -> Effective {
    let manager = project.manager();
    // Why the manager does not load a rule, from the load-order replay.
    let mut not_loaded: HashMap<RuleRef, String> = HashMap::new();
    for e in &project.replay.events {
        match *e {
            LoadEvent::DuplicateId { rule, first } => {
                let at = rule_at(project, first);
                not_loaded.insert(
                    rule,
                    format!(
                        "duplicate id: the manager keeps the rule at {}:{} and drops this one",
                        at.file, at.line
                    ),
                );
            }
            LoadEvent::Dropped { rule } => {
                let parents: Vec<&str> = project
                    .ws
                    .rule(rule)
                    .parents
                    .iter()
                    .map(|p| p.value.as_str())
                    .collect();
                not_loaded.entry(rule).or_insert_with(|| {
                    format!(
                        "dropped at load: none of its parents ({}) is loaded before it",
                        parents.join(", ")
                    )
                });
            }
            _ => {}
        }
    }
    let mut out = Effective {
        tags: Vec::new(),
        cannot_alert: Vec::new(),
        rules_counted: 0,
    };
    for r in project.ws.rule_refs() {
        let lf = &project.ws.files[r.file()];
        if lf.file.salvaged || (only && lf.origin != Origin::Linted) {
            continue;
        }
        let rule = project.ws.rule(r);
        out.rules_counted += 1;
        let blocked = not_loaded.get(&r).cloned().or_else(|| cannot_alert(rule));
        for block in &rule.mitre {
            let block_discarded = discarded(block);
            for entry in block.technique_entries() {
                let written = entry.value.trim().to_string();
                if written.is_empty() {
                    continue;
                }
                let why = if let Some(why) = &blocked {
                    Some(why.clone())
                } else if block_discarded {
                    Some("the manager discards this <mitre> block (see WM109)".into())
                } else if written.starts_with("$(") {
                    Some("a placeholder filled in at alert time: it cannot be counted".into())
                } else if !manager.is_active(&written) {
                    Some(format!(
                        "`{written}` is not an active technique of the manager's ATT&CK {}: the alert carries no technique",
                        manager.version()
                    ))
                } else {
                    None
                };
                if let Some(reason) = why {
                    out.cannot_alert.push(CannotAlert {
                        rule: rule_at(project, r),
                        technique: written,
                        reason,
                    });
                    continue;
                }
                let id = version
                    .resolve(&written)
                    .and_then(|res| res.current().map(|c| c.id.clone()))
                    .unwrap_or_else(|| written.clone());
                out.tags.push(EffectiveTag {
                    rule: rule_at(project, r),
                    id,
                    written,
                });
            }
        }
    }
    out.cannot_alert.sort();
    out
}
