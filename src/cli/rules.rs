//! `wazuh-mitre rules`: every check, as the README documents them.

use super::attack::OutFormat;
use crate::checks::registry::all_infos;
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format, spelt as in every other command.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutFormat,
}

pub fn run(args: RulesArgs) -> ExitCode {
    let infos = all_infos();
    if args.format == OutFormat::Json {
        let v: Vec<_> = infos
            .iter()
            .map(|i| {
                serde_json::json!({
                    "code": i.code, "name": i.name, "severity": i.severity.as_str(),
                    "summary": i.summary, "fix": i.fix.map(|f| f.as_str()),
                })
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&v).expect("JSON values serialise")
        );
        return ExitCode::SUCCESS;
    }
    outln!(
        "{:<7} {:<28} {:<8} {:<13} summary",
        "code",
        "name",
        "severity",
        "fix"
    );
    for i in infos {
        outln!(
            "{:<7} {:<28} {:<8} {:<13} {}",
            i.code,
            i.name,
            i.severity.as_str(),
            i.fix.map_or("-", |f| f.as_str()),
            i.summary
        );
    }
    ExitCode::SUCCESS
}
