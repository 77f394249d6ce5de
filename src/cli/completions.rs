//! `wazuh-mitre completions SHELL` and `wazuh-mitre man`: shell completions and a man page,
//! generated from the same clap definitions as the command line itself.

use clap::{Args, CommandFactory, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {}

pub fn completions(args: CompletionsArgs) -> ExitCode {
    use clap_complete::Shell as S;
    let shell = match args.shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut super::Cli::command(), "wazuh-mitre", &mut out);
    super::emit(&String::from_utf8_lossy(&out));
    ExitCode::SUCCESS
}

/// The man page (roff) of the command and every subcommand, one after the other: `man -l`
/// reads it as one page.
pub fn man(_: ManArgs) -> ExitCode {
    let command = super::Cli::command();
    let mut out = Vec::new();
    let page = |man: clap_mangen::Man, out: &mut Vec<u8>| {
        man.render(out).expect("writing to memory does not fail")
    };
    page(clap_mangen::Man::new(command.clone()), &mut out);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let title = format!("wazuh-mitre-{}", sub.get_name());
        page(clap_mangen::Man::new(sub.clone()).title(title), &mut out);
    }
    super::emit(&String::from_utf8_lossy(&out));
    ExitCode::SUCCESS
}
