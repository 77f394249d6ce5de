//! Unified diffs of `fix`, coloured on a terminal, and its summaries.

use crate::checks::Change;
use crate::rewrite::plan::AppliedKind;
use crate::rewrite::{FixPlan, FixedFile};
use similar::{ChangeTag, TextDiff};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// A unified diff of one file (`--- a/PATH`, `+++ b/PATH`, 3 lines of context).
pub fn unified(file: &FixedFile, color: bool) -> String {
    let path = super::display_path(&file.path);
    let diff = TextDiff::from_lines(file.before.as_str(), file.after.as_str());
    let mut out = String::new();
    let (bold, reset) = if color { (BOLD, RESET) } else { ("", "") };
    // git's a/ and b/ prefixes only make sense on relative paths.
    let (a, b) = if file.path.is_absolute() {
        ("", "")
    } else {
        ("a/", "b/")
    };
    out.push_str(&format!(
        "{bold}--- {a}{path}{reset}\n{bold}+++ {b}{path}{reset}\n"
    ));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        let header = hunk.header().to_string();
        if color {
            out.push_str(&format!("{CYAN}{header}{RESET}\n"));
        } else {
            out.push_str(&format!("{header}\n"));
        }
        for change in hunk.iter_changes() {
            let (sign, paint) = match change.tag() {
                ChangeTag::Delete => ("-", RED),
                ChangeTag::Insert => ("+", GREEN),
                ChangeTag::Equal => (" ", ""),
            };
            let line = change.value();
            let (body, newline) = match line.strip_suffix('\n') {
                Some(b) => (b, true),
                None => (line, false),
            };
            if color && !paint.is_empty() {
                out.push_str(&format!("{paint}{sign}{body}{RESET}\n"));
            } else {
                out.push_str(&format!("{sign}{body}\n"));
            }
            if !newline {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// The reasons behind each suggested tag, shown beside the diff with `--explain`.
pub fn explanations(file: &FixedFile) -> String {
    let mut out = String::new();
    for a in file.applied.iter().filter(|a| !a.reasons.is_empty()) {
        out.push_str(&format!(
            "# rule {}: {}\n",
            a.rule_id.map_or("?".into(), |i| i.to_string()),
            a.description
        ));
        for r in &a.reasons {
            out.push_str(&format!("#   {r}\n"));
        }
    }
    out
}

/// Counts for the summary of `fix --write`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub ids_replaced: usize,
    pub entries_removed: usize,
    pub tags_added: usize,
}

pub fn counts(plan: &FixPlan) -> Counts {
    let mut c = Counts {
        files: plan.files.len(),
        ..Counts::default()
    };
    for a in plan.files.iter().flat_map(|f| &f.applied) {
        match a.kind {
            AppliedKind::AddTags => c.tags_added += a.added.len(),
            AppliedKind::Fix(Change::ReplacesId) => c.ids_replaced += 1,
            AppliedKind::Fix(Change::RemovesEntry) => c.entries_removed += 1,
        }
    }
    c
}

/// Skipped rules listed when `--verbose` is not given.
const SKIPPED_SHOWN: usize = 10;

/// What `fix --write` (and the end of `fix`) prints: the counts, skipped rules by reason
/// (each listed with `verbose`), and every refused file with its reason.
pub fn summary(plan: &FixPlan, written: bool, verbose: bool) -> String {
    let c = counts(plan);
    let verb = if written { "Fixed" } else { "Would fix" };
    let mut out = format!(
        "{verb} {} file{}: {} id{} replaced, {} entr{} removed, {} tag{} added.\n",
        c.files,
        if c.files == 1 { "" } else { "s" },
        c.ids_replaced,
        if c.ids_replaced == 1 { "" } else { "s" },
        c.entries_removed,
        if c.entries_removed == 1 { "y" } else { "ies" },
        c.tags_added,
        if c.tags_added == 1 { "" } else { "s" },
    );
    if !plan.skipped.is_empty() {
        let mut kinds: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for s in &plan.skipped {
            *kinds
                .entry(s.reason.split(';').next().unwrap_or(""))
                .or_default() += 1;
        }
        out.push_str(&format!(
            "{} rule{} skipped:\n",
            plan.skipped.len(),
            if plan.skipped.len() == 1 { "" } else { "s" }
        ));
        for (kind, n) in &kinds {
            out.push_str(&format!("  {n} x {kind}\n"));
        }
        let shown = if verbose {
            plan.skipped.len()
        } else {
            SKIPPED_SHOWN
        };
        for s in plan.skipped.iter().take(shown) {
            out.push_str(&format!(
                "  {} rule {}: {}\n",
                super::display_path(&s.path),
                s.rule_id.map_or("?".into(), |i| i.to_string()),
                s.reason
            ));
        }
        if plan.skipped.len() > shown {
            out.push_str(&format!(
                "  ... {} more (--verbose lists them all)\n",
                plan.skipped.len() - shown
            ));
        }
    }
    for r in &plan.refused {
        out.push_str(&format!(
            "not written: {}: {}\n",
            super::display_path(&r.path),
            r.reason
        ));
    }
    out
}
