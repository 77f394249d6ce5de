//! `wazuh-mitre fix`: a diff of every change by default; `--write` applies the same plan.

use super::lint::merged_selection;
use super::{stdout_color, usage_error, LoadArgs};
use crate::project::{LoadOptions, StockFiles};
use crate::report::diff;
use crate::rewrite::atomic::write_atomic;
use crate::rewrite::{plan, FixOptions};
use crate::suggest::Confidence;
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Apply the changes in place (atomically) instead of printing a diff.
    #[arg(long)]
    pub write: bool,
    /// Also apply unsafe fixes: deprecated ids, tactic ids in <id>, redundant parent ids.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Give untagged alerting rules a <mitre> block with the suggester's top techniques.
    #[arg(long)]
    pub add_tags: bool,
    /// Lowest confidence of a suggestion that --add-tags writes.
    #[arg(long, value_name = "LEVEL", default_value = "high", value_parser = parse_confidence, requires = "add_tags")]
    pub min_confidence: Confidence,
    /// Show each suggested tag's reasons beside the diff (never in the file).
    #[arg(long, requires = "add_tags")]
    pub explain: bool,
    /// Only fixes of these checks (codes, code prefixes or names; comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// List every skipped rule in the summary.
    #[arg(long)]
    pub verbose: bool,
    /// No fixes of these checks.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// How the preview is printed (without --write).
    #[arg(long, value_enum, default_value = "diff")]
    pub format: FixFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FixFormat {
    /// A unified diff (the default).
    Diff,
    /// Reviewdog Diagnostic Format: each change a suggestion with its reasons.
    Rdjson,
    /// The same, one diagnostic per line.
    Rdjsonl,
    /// A pull-request comment.
    Markdown,
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    match Confidence::parse(s) {
        Some(c) if c != Confidence::Low => Ok(c),
        _ => Err(format!("`{s}` is not high or medium")),
    }
}

pub fn run(args: FixArgs) -> ExitCode {
    let config = match args.load.config() {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    if args.write && args.format != FixFormat::Diff {
        return usage_error(
            "--format is for the preview; --write applies the changes and prints a summary",
        );
    }
    let selection = merged_selection(&config, &args.select, &args.ignore);
    if let Err(e) = selection.validate() {
        return usage_error(e);
    }
    // Without the suggester (whose neighbours are the whole ruleset), a fix is made from
    // lint's findings: only the stock files the rules can see are built, as for lint.
    let opts = LoadOptions {
        stock: if args.add_tags || args.unsafe_fixes {
            StockFiles::All
        } else {
            StockFiles::Needed
        },
        ..args.load.load_options()
    };
    let mut project = match super::load_project(&opts, config) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let options = FixOptions {
        unsafe_fixes: args.unsafe_fixes,
        add_tags: args.add_tags,
        min_confidence: args.min_confidence,
        selection,
        full_passes: false,
    };
    let fix_plan = plan(&mut project, &options);
    let color = stdout_color();
    // A refused file whose refusal has a fix (an XML declaration) is in the plan.
    let in_plan = |path: &std::path::Path| fix_plan.files.iter().any(|f| f.path == path);
    let mut read_failed = false;
    for f in &project.ws.failures {
        if in_plan(&f.path) {
            eprintln!(
                "error: {}: {} (the fix removes what the manager refuses)",
                f.path.display(),
                f.error
            );
        } else {
            eprintln!("error: {}: {} (not fixed)", f.path.display(), f.error);
            read_failed = true;
        }
    }

    if !args.write {
        match args.format {
            FixFormat::Diff => {
                for f in &fix_plan.files {
                    if args.explain {
                        out!("{}", diff::explanations(f));
                    }
                    out!("{}", diff::unified(f, color));
                }
            }
            FixFormat::Rdjson => out!("{}", crate::report::rdjson::fix(&fix_plan, false)),
            FixFormat::Rdjsonl => out!("{}", crate::report::rdjson::fix(&fix_plan, true)),
            FixFormat::Markdown => out!("{}", crate::report::markdown::fix(&fix_plan)),
        }
        eprint!("{}", diff::summary(&fix_plan, false, args.verbose));
        return if read_failed || !fix_plan.refused.is_empty() {
            ExitCode::from(2)
        } else if fix_plan.files.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }

    let mut write_failed = false;
    for f in &fix_plan.files {
        if args.explain {
            out!("{}", diff::explanations(f));
        }
        if let Err(e) = write_atomic(&f.path, f.before.as_bytes(), &f.after) {
            eprintln!("error: {}: {e}", f.path.display());
            write_failed = true;
        }
    }
    // A file the manager refused, fixed: it must now be readable, or the run still fails.
    for failure in &project.ws.failures {
        if in_plan(&failure.path) {
            if let Err(e) = crate::ruleset::read::read_path(&failure.path) {
                eprintln!(
                    "error: {}: still refused: {}",
                    failure.path.display(),
                    e.error
                );
                read_failed = true;
            }
        }
    }
    out!("{}", diff::summary(&fix_plan, true, args.verbose));
    if read_failed || write_failed || !fix_plan.refused.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
