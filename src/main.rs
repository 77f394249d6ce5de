use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    wazuh_mitre::cli::run(wazuh_mitre::cli::Cli::parse())
}
