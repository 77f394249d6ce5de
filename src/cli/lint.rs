//! `wazuh-mitre lint`

use super::{stdout_color, usage_error, LoadArgs};
use crate::checks::baseline::{self, Baseline};
use crate::checks::registry::Selection;
use crate::checks::Severity;
use crate::lint::Summary;
use crate::project::{LoadOptions, Project, StockFiles};
use crate::report::{self, Format};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Output format (default: human on a terminal, concise otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Only these checks (codes, code prefixes or names; comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these checks (codes, code prefixes or names; comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Minimum level of an alerting rule that must carry a technique (default 1).
    #[arg(long, value_name = "LEVEL")]
    pub min_level: Option<i64>,
    /// Report only the findings this baseline file does not record (default: the
    /// configuration's `baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings of the files linted in the baseline file (default
    /// .wazuh-mitre-baseline.json), keeping other files' entries, and exit 0.
    #[arg(long)]
    pub write_baseline: bool,
}

pub fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("`{s}` is not error, warning or info"))
}

/// The configuration's selection, with the command line's on top.
pub fn merged_selection(
    config: &crate::config::Config,
    select: &[String],
    ignore: &[String],
) -> Selection {
    let mut sel = config.selection.clone();
    if !select.is_empty() {
        sel.select = select.to_vec();
    }
    sel.ignore.extend(ignore.iter().cloned());
    sel
}

pub fn run(args: LintArgs) -> ExitCode {
    let mut config = match args.load.config() {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    if let Some(path) = &args.baseline {
        config.baseline = Some(path.clone());
    }
    let write_to = args.write_baseline.then(|| {
        config
            .baseline
            .clone()
            .unwrap_or_else(|| PathBuf::from(baseline::DEFAULT_FILE))
    });
    if write_to.as_ref().is_some_and(|p| !p.exists()) {
        // Nothing recorded yet: this run makes the file.
        config.baseline = None;
    }
    if let Some(l) = args.min_level {
        config.missing_technique_min_level = Some(l);
    }
    let selection = merged_selection(&config, &args.select, &args.ignore);
    if let Err(e) = selection.validate() {
        return usage_error(e);
    }
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(Severity::Error);
    // Lint builds only the stock files its rules can see: a one-file run skips the rest.
    let opts = LoadOptions {
        stock: StockFiles::Needed,
        ..args.load.load_options()
    };
    let mut project = match super::load_project(&opts, config) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Some(path) = write_to {
        // Every finding of today; the old baseline only keeps other files' entries.
        let old = project.baseline.take().map(|b| b.baseline);
        let diagnostics = project.lint(&selection, None);
        return write_baseline(&path, old, &project, &diagnostics);
    }
    let diagnostics = project.lint(&selection, None);
    let summary = Summary {
        fail_on,
        ..Summary::of(&project, &diagnostics)
    };
    let color = stdout_color();
    let format = args.format.unwrap_or(if color {
        Format::Human
    } else {
        Format::Concise
    });
    super::emit_to(|out| report::render_to(out, format, &project, &diagnostics, &summary, color));
    let code = if !project.ws.failures.is_empty() {
        ExitCode::from(2)
    } else if summary.fails_at(fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    super::leave_at_exit((diagnostics, project));
    code
}

/// `lint --write-baseline`: records the findings over `old` and says how many.
fn write_baseline(
    path: &Path,
    old: Option<Baseline>,
    project: &Project,
    found: &[crate::checks::Diagnostic],
) -> ExitCode {
    let new = Baseline::record(old.as_ref(), baseline::base_dir(path), &project.ws, found);
    let before = std::fs::read(path).unwrap_or_default();
    let text = new.to_json();
    let written = if path.exists() {
        crate::rewrite::atomic::write_atomic(path, &before, &text)
    } else {
        crate::rewrite::atomic::create_atomic(path, &text)
    };
    if let Err(e) = written {
        eprintln!("error: {}: {e}", path.display());
        return ExitCode::from(2);
    }
    let findings: usize = new.entries.iter().map(|e| e.count).sum();
    eprintln!(
        "Recorded {findings} finding{} in {} entr{} of {}; lint now reports only new ones.",
        if findings == 1 { "" } else { "s" },
        new.entries.len(),
        if new.entries.len() == 1 { "y" } else { "ies" },
        path.display()
    );
    ExitCode::SUCCESS
}
