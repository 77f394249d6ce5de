//! Checks: one file per check, one small trait, one registry.
//!
//! A check reads the model, the load-order replay and the ATT&CK database, and returns
//! diagnostics (with fixes as byte edits). It never prints and never writes.

pub mod baseline;
pub mod diagnostic;
pub mod registry;
pub mod suppression;
mod tags;
pub mod unreadable_file;

mod deprecated_technique;
mod duplicate_rule_id;
mod duplicate_technique;
mod invalid_level;
mod invalid_technique_id;
mod missing_description;
mod missing_technique;
mod mitre_block_structure;
mod not_utf8;
mod overwrite_missing_rule;
mod parent_not_found;
mod placeholder_technique;
mod platform_mismatch;
mod redundant_parent_technique;
mod revoked_technique;
mod rule_file_structure;
mod rule_id_out_of_range;
mod self_parent;
mod tactic_id_as_technique;
mod tactic_technique_mismatch;
mod unknown_parent_group;
mod unknown_technique;
mod unknown_to_manager;

pub use diagnostic::{Applicability, Change, Diagnostic, Edit, Fix, Severity};
/// missing-technique's info: `fix --add-tags` tags the rules it reports.
pub use missing_technique::INFO as MISSING_TECHNIQUE;

use crate::attack::{AttackDb, AttackVersion};
use crate::ruleset::load::{LoadReplay, Origin, RuleRef, Workspace};
use crate::ruleset::{Rule, Span};

/// What a check knows about itself: the stable code and name, its default severity, and
/// the one-line summary `wazuh-mitre rules` prints.
#[derive(Debug, Clone, Copy)]
pub struct CheckInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// The best fix the check can offer.
    pub fix: Option<Applicability>,
    /// What the check reads; only `Tags` checks run on salvaged (unreadable) files.
    pub scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The `<mitre>` entries alone.
    Tags,
    /// The whole rule or file.
    Rules,
}

/// Settings the checks read (from the command line and the configuration file).
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Rules at or above this level that alert must carry a technique.
    pub missing_technique_min_level: i64,
    /// The custom rule id range; `None` turns the check off.
    pub custom_range: Option<(u32, u32)>,
    /// Whether a ruleset was loaded, so "exists nowhere" can be trusted.
    pub have_ruleset: bool,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            missing_technique_min_level: 1,
            custom_range: Some((100_000, 120_000)),
            have_ruleset: false,
        }
    }
}

/// Everything a check may read.
pub struct Context<'a> {
    pub ws: &'a Workspace,
    pub replay: &'a LoadReplay,
    pub db: &'a AttackDb,
    /// The version findings are judged against (`--attack-version`, default the newest).
    pub attack: &'a AttackVersion,
    /// The manager's version (`--manager-attack`, default 13.1): no fix may leave it.
    pub manager: &'a AttackVersion,
    pub settings: &'a CheckSettings,
    /// Picks a technique for a rule within a tactic (the suggester, when fixes want one).
    pub chooser: Option<&'a dyn TechniqueChooser>,
}

/// Chooses the technique a rule most likely detects within one tactic. `Sync`: rules are
/// checked on every core.
pub trait TechniqueChooser: Sync {
    fn best_in_tactic(&self, rule: RuleRef, tactic_id: &str) -> Option<String>;
}

impl<'a> Context<'a> {
    pub fn rule(&self, r: RuleRef) -> &'a Rule {
        self.ws.rule(r)
    }

    pub fn text(&self, r: RuleRef) -> &'a str {
        &self.ws.file_of(r).source.text
    }

    /// A tactic's name as the user knows it: the newest ATT&CK's, and the manager's too where
    /// they differ ("Stealth; Defense Evasion on your 13.1 manager"), since the dashboard
    /// shows the manager's.
    pub fn tactic_name(&self, id: &str) -> Option<String> {
        let newest = self.attack.tactic(id).map(|t| t.name.as_str());
        let manager = self.manager.tactic(id).map(|t| t.name.as_str());
        match (newest, manager) {
            (Some(a), Some(b)) if a != b => Some(format!(
                "{a}; {b} on your {} manager",
                self.manager.version()
            )),
            (Some(a), _) | (None, Some(a)) => Some(a.to_string()),
            (None, None) => None,
        }
    }

    /// `path:line` of a rule, for messages that point at another rule.
    pub fn location(&self, r: RuleRef) -> String {
        let src = &self.ws.file_of(r).source;
        if src.text.is_empty() {
            // A rule of the embedded stock index: a file, no text.
            return format!(
                "{} (rule {})",
                src.path.display(),
                self.rule(r).id.unwrap_or(0)
            );
        }
        let at = src.lines.line_col(&src.text, self.rule(r).span.start());
        format!("{}:{}", src.path.display(), at.line)
    }

    /// A diagnostic of `check` on a rule.
    pub fn diag(
        &self,
        check: &'static CheckInfo,
        r: RuleRef,
        span: Span,
        message: impl AsRef<str>,
    ) -> Diagnostic {
        let message = diagnostic::shared_message(message.as_ref());
        Diagnostic {
            check,
            severity: check.severity,
            file: r.file(),
            span,
            rule_id: self.rule(r).id,
            rule: Some(r.rule() as u32),
            message,
            fix: None,
        }
    }
}

/// A check. Implement `info` and one of the two hooks.
pub trait Check: Sync {
    fn info(&self) -> &'static CheckInfo;

    /// Called for every linted rule.
    ///
    /// A check reads other rules' ids, groups, parents and fields, never their `<mitre>`
    /// blocks or comments, except through the chooser: `fix` lints again only the files its
    /// last pass changed, since a fix changes nothing else (`rewrite/plan.rs`).
    fn check_rule(&self, _ctx: &Context, _rule: RuleRef, _out: &mut Vec<Diagnostic>) {}

    /// Called once per run, for checks that look across rules or files.
    fn check_workspace(&self, _ctx: &Context, _out: &mut Vec<Diagnostic>) {}
}

/// Runs every check of the registry over the linted rules (those of the files `only`
/// marks, when given).
///
/// Rules are checked on every core, a chunk at a time. The order of what comes out does
/// not matter: `Project::lint` sorts once, by a total order, after suppressions and ignores.
pub fn run_checks(ctx: &Context, checks: &[&dyn Check], only: Option<&[bool]>) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // Enough rules that a chunk outweighs handing it to a thread, few enough that the stock
    // ruleset's 4,500 spread over the cores.
    const CHUNK: usize = 256;
    // The chunks' findings join the one list a batch at a time, so that the parts and the
    // whole never all exist at once (a file of 300,000 rules has as many findings).
    const BATCH: usize = 8 * CHUNK;
    let wanted = |file: usize| only.is_none_or(|o| o.get(file).copied().unwrap_or(false));
    let linted: Vec<RuleRef> = ctx
        .ws
        .linted_rule_refs()
        .filter(|r| wanted(r.file()))
        .collect();
    let check_chunk = |chunk: &[RuleRef]| {
        let mut found = Vec::new();
        for &r in chunk {
            let salvaged = ctx.ws.files[r.file()].file.salvaged;
            for check in checks {
                if !salvaged || check.info().scope == Scope::Tags {
                    check.check_rule(ctx, r, &mut found);
                }
            }
        }
        found
    };
    let mut out = Vec::new();
    for batch in linted.chunks(BATCH) {
        let parts: Vec<Vec<Diagnostic>> = batch.par_chunks(CHUNK).map(check_chunk).collect();
        for part in parts {
            out.extend(part);
        }
    }
    for check in checks {
        check.check_workspace(ctx, &mut out);
    }
    out.retain(|d| ctx.ws.files[d.file].origin == Origin::Linted && wanted(d.file));
    out
}
