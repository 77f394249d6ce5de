//! Command-line definitions (clap) and one handler per subcommand. No analysis here.

/// `print!` that stops quietly when the reader went away (`wazuh-mitre ... | head`).
macro_rules! out {
    ($($t:tt)*) => { $crate::cli::emit(&format!($($t)*)) };
}

/// `println!`, likewise.
macro_rules! outln {
    () => { $crate::cli::emit("\n") };
    ($($t:tt)*) => { $crate::cli::emit(&format!("{}\n", format!($($t)*))) };
}

mod attack;
mod completions;
mod coverage;
mod fix;
mod lint;
mod rules;
mod suggest;

use crate::config::Config;
use crate::project::{LoadOptions, UsageError};
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "wazuh-mitre",
    version,
    about = "Lint, suggest and fix MITRE ATT&CK tags in Wazuh rule files"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check rule files for ATT&CK tag problems and rule mistakes the manager drops silently.
    Lint(lint::LintArgs),
    /// Look up ATT&CK techniques in the embedded database.
    Attack(attack::AttackArgs),
    /// Fix tags: a diff of every change by default, `--write` to apply it.
    Fix(fix::FixArgs),
    /// Rank the ATT&CK techniques each rule most likely detects, with the evidence.
    Suggest(suggest::SuggestArgs),
    /// Measure the suggester: hide each tagged rule's tags and see if it finds them again.
    Eval(suggest::EvalArgs),
    /// List every check with its code, name, default severity and fix.
    Rules(rules::RulesArgs),
    /// What the rules can really put on an alert, by tactic; the gaps that matter; what fired.
    Coverage(coverage::CoverageArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff; `wazuh-mitre man > wazuh-mitre.1`, or `man -l` it).
    Man(completions::ManArgs),
    /// Run the language server over stdio, for editors (see docs/editors.md).
    Server,
}

/// What every analysing subcommand loads.
#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Rule files, or folders searched recursively for *.xml (default: the current folder).
    /// A file named loads with the other rule files of its folder, as in the manager's
    /// `etc/rules`; findings are reported on the files named only.
    pub paths: Vec<PathBuf>,
    /// Load a named file alone, without the other rule files of its folder.
    #[arg(long)]
    pub no_context: bool,
    /// Rule folders loaded as the manager would (before PATHS) but not reported on.
    /// Default: /var/ossec/ruleset/rules where it exists.
    #[arg(long = "ruleset", value_name = "DIR")]
    pub rulesets: Vec<PathBuf>,
    /// Do not load /var/ossec/ruleset/rules by default.
    #[arg(long)]
    pub no_default_ruleset: bool,
    /// ATT&CK version findings are judged against (default: the newest embedded).
    #[arg(long, value_name = "VERSION")]
    pub attack_version: Option<String>,
    /// The manager's ATT&CK version (Wazuh 4.x: 13.1, the default); no fix leaves it.
    #[arg(long, value_name = "VERSION")]
    pub manager_attack: Option<String>,
    /// A newer MITRE STIX bundle (2.0 or 2.1) to use as the newest version.
    #[arg(long, value_name = "FILE")]
    pub attack_data: Option<PathBuf>,
    /// Configuration file (default: .wazuh-mitre.yml found upward from here).
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,
}

impl LoadArgs {
    pub fn load_options(&self) -> LoadOptions {
        let paths = if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        };
        LoadOptions {
            paths,
            folder_context: !self.no_context,
            rulesets: self.rulesets.clone(),
            no_default_ruleset: self.no_default_ruleset,
            attack_version: self.attack_version.clone(),
            manager_attack: self.manager_attack.clone(),
            attack_data: self.attack_data.clone(),
            attack_text: false,
            stock: crate::project::StockFiles::All,
            unsaved: Vec::new(),
        }
    }

    /// The project for a command that uses ATT&CK's text table (suggest, eval, coverage):
    /// the table is parsed while the files are read. A usage error is reported (exit 2).
    pub fn load_with_attack_text(&self) -> Result<crate::project::Project, ExitCode> {
        let config = self.config().map_err(usage_error)?;
        let opts = LoadOptions {
            attack_text: true,
            ..self.load_options()
        };
        load_project(&opts, config)
    }

    pub fn config(&self) -> Result<Config, UsageError> {
        if self.isolated {
            return Ok(Config::default());
        }
        let path = match &self.config {
            Some(p) => Some(p.clone()),
            None => std::env::current_dir()
                .ok()
                .and_then(|d| Config::discover(&d)),
        };
        match path {
            Some(p) => Config::load(&p).map_err(UsageError::from),
            None => Ok(Config::default()),
        }
    }
}

/// Loads a run's project; a usage error is reported (exit 2), and each file given that is
/// not a rule file is named on standard error.
pub fn load_project(
    opts: &LoadOptions,
    config: Config,
) -> Result<crate::project::Project, ExitCode> {
    let project = crate::project::Project::load(opts, config).map_err(usage_error)?;
    match project.ws.skipped.as_slice() {
        [] => {}
        few @ ([_] | [_, _] | [_, _, _]) => {
            for skipped in few {
                eprintln!(
                    "note: {} {}: skipped",
                    skipped.path.display(),
                    skipped.holds()
                );
            }
        }
        many => eprintln!(
            "note: skipped {}",
            crate::ruleset::load::Skipped::summary(many)
        ),
    }
    Ok(project)
}

/// Whether human output should be coloured: a terminal, and no NO_COLOR.
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Writes to standard output, ignoring a closed pipe: the exit status still tells the truth.
pub fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Leaves `value`'s memory to the operating system, which takes it back at exit at once:
/// freeing a loaded ruleset (thousands of rules, each a few dozen allocations) one piece
/// at a time took a tenth of a small file's run.
pub fn leave_at_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Standard output for a renderer that writes as it goes (large JSON). A closed pipe
/// (`| head`) is not an error worth a message, as for `emit`.
pub fn emit_to(render: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let _ = render(&mut out).and_then(|()| out.flush());
}

pub fn usage_error(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Attack(args) => attack::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Suggest(args) => suggest::run_suggest(args),
        Command::Eval(args) => suggest::run_eval(args),
        Command::Coverage(args) => coverage::run(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
        Command::Server => match crate::server::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(crate::server::ServerError::NoShutdown) => ExitCode::from(1),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}
