//! `wazuh-mitre lint`

use super::{stdout_color, usage_error, LoadArgs};
use crate::checks::registry::Selection;
use crate::checks::Severity;
use crate::lint::{LoadOptions, StockFiles, Summary};
use crate::report::{self, Format};
use clap::Args;
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
    let project = match super::load_project(&opts, config) {
        Ok(p) => p,
        Err(code) => return code,
    };
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
