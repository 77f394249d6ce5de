//! `wazuh-mitre coverage`

use super::{stdout_color, usage_error, LoadArgs};
use crate::coverage::{self, CoverageOptions};
use crate::report::coverage as render;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageFormat {
    /// Tactics as columns (the terminal default).
    Table,
    /// The documented contract.
    Json,
    /// An ATT&CK Navigator layer (format 4.5).
    Navigator,
    /// One self-contained page: the matrix as a heat map, gaps, fired vs covered.
    Html,
    /// A pull-request comment.
    Markdown,
    /// Just the validation plan: atomic tests for covered techniques that never fired.
    Plan,
}

#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Count only the rules of PATHS (rulesets still load for parents and groups).
    #[arg(long)]
    pub only: bool,
    /// Keep techniques of these platforms (windows, linux, macos, ...; comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub platform: Vec<String>,
    /// Weigh techniques these ATT&CK groups use (name, alias or id; repeatable).
    #[arg(long)]
    pub group: Vec<String>,
    /// Your threat model: one technique id per line, `#` comments.
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// How many cold techniques to list, most important first.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub gaps: usize,
    /// A Wazuh alerts file (alerts.json, one JSON object per line; .gz too); repeatable.
    #[arg(long, value_name = "FILE")]
    pub alerts: Vec<PathBuf>,
    /// Rules before the change (a file or folder): show techniques gained and lost.
    #[arg(long, value_name = "PATH")]
    pub compare: Option<PathBuf>,
    /// Exit 1 when a --targets technique is not covered.
    #[arg(long)]
    pub fail_on_gaps: bool,
    /// Output format (default: table).
    #[arg(long, value_enum)]
    pub format: Option<CoverageFormat>,
}

pub fn run(args: CoverageArgs) -> ExitCode {
    let project = match args.load.load_with_attack_text() {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Err(e) = known_platforms(&project, &args.platform) {
        return usage_error(e);
    }
    let opts = CoverageOptions {
        only: args.only,
        platforms: args.platform.clone(),
        groups: args.group.clone(),
        targets: args.targets.clone(),
        gaps: args.gaps,
        alerts: args.alerts.clone(),
    };
    let report = match coverage::build(&project, project.attack(), &opts) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    let compared = match &args.compare {
        None => None,
        Some(before) => {
            let mut base_args = args.load.clone();
            base_args.paths = vec![before.clone()];
            let base = match base_args.load_with_attack_text() {
                Ok(p) => p,
                Err(code) => return code,
            };
            // The alerts describe the deployment now; the comparison is of the rules alone.
            let base_opts = CoverageOptions {
                alerts: Vec::new(),
                ..opts.clone()
            };
            match coverage::build(&base, base.attack(), &base_opts) {
                Ok(r) => Some(coverage::diff(&r, &report)),
                Err(e) => return usage_error(e),
            }
        }
    };
    let text = match args.format.unwrap_or(CoverageFormat::Table) {
        CoverageFormat::Table => render::table(&report, compared.as_ref(), stdout_color()),
        CoverageFormat::Json => render::json(&report, compared.as_ref()),
        CoverageFormat::Navigator => render::navigator(&report),
        CoverageFormat::Html => render::html(&report, compared.as_ref()),
        CoverageFormat::Markdown => render::markdown(&report, compared.as_ref()),
        CoverageFormat::Plan => render::plan(&report),
    };
    out!("{text}");
    for f in &project.ws.failures {
        eprintln!("error: {}: {}", f.path.display(), f.error);
    }
    if !project.ws.failures.is_empty() {
        return ExitCode::from(2);
    }
    if args.fail_on_gaps && !report.targets_uncovered.is_empty() {
        eprintln!(
            "coverage: {} target technique(s) not covered: {}",
            report.targets_uncovered.len(),
            report.targets_uncovered.join(", ")
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Refuses a `--platform` the ATT&CK version counted against has no technique for (an empty
/// report would look like a real one), naming those it has.
fn known_platforms(project: &crate::project::Project, given: &[String]) -> Result<(), String> {
    let mut known: Vec<&str> = project
        .attack()
        .techniques()
        .flat_map(|t| t.platforms.iter().map(String::as_str))
        .collect();
    known.sort_unstable_by_key(|p| p.to_ascii_lowercase());
    known.dedup();
    for p in given {
        if !known.iter().any(|k| k.eq_ignore_ascii_case(p.trim())) {
            return Err(format!(
                "--platform `{p}` is no platform of ATT&CK {}: {}",
                project.attack_version,
                known.join(", ")
            ));
        }
    }
    Ok(())
}
