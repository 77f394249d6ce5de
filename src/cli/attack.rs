//! `wazuh-mitre attack show|search|versions`

use super::usage_error;
use crate::attack::search::SearchIndex;
use crate::attack::{lookup, stix, AttackDb};
use crate::report::attack as render;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct AttackArgs {
    #[command(subcommand)]
    pub command: AttackCommand,
    /// A newer MITRE STIX bundle to use as the newest version.
    #[arg(long, global = true, value_name = "FILE")]
    pub attack_data: Option<PathBuf>,
    /// ATT&CK version to look in (default: the newest).
    #[arg(long, global = true, value_name = "VERSION")]
    pub attack_version: Option<String>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value = "human")]
    pub format: OutFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum AttackCommand {
    /// A technique: status, tactics, platforms, and for a revoked one the chain to its replacement.
    Show { id: String },
    /// Techniques ranked by how well their name and description match the words.
    Search {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// The embedded ATT&CK versions and which one is the default.
    Versions,
}

pub fn run(args: AttackArgs) -> ExitCode {
    let mut db = AttackDb::embedded();
    if let Some(path) = &args.attack_data {
        match stix::import_bundle_file(path) {
            Ok(imported) => db = db.with_bundle(imported),
            Err(e) => return usage_error(e),
        }
    }
    let version = match db.version(args.attack_version.as_deref().unwrap_or("latest")) {
        Ok(v) => v,
        Err(e) => return usage_error(e),
    };
    let json = args.format == OutFormat::Json;
    match args.command {
        AttackCommand::Versions => {
            out!(
                "{}",
                if json {
                    render::versions_json(&db)
                } else {
                    render::versions_human(&db)
                }
            );
        }
        AttackCommand::Show { id } => {
            let id = id.trim().to_ascii_uppercase();
            let text = if id.starts_with("TA") {
                lookup::tactic(&db, version, &id).map(|v| {
                    if json {
                        render::tactic_json(&v)
                    } else {
                        render::tactic_human(&v)
                    }
                })
            } else {
                lookup::technique(&db, version, &id).map(|v| {
                    if json {
                        render::technique_json(&v)
                    } else {
                        render::technique_human(&v)
                    }
                })
            };
            match text {
                Ok(text) => out!("{text}"),
                Err(e) => {
                    eprintln!("error: {}", render::not_found(&e));
                    return ExitCode::from(1);
                }
            }
        }
        AttackCommand::Search { query, limit } => {
            let index = SearchIndex::build(version, db.text());
            let hits: Vec<(String, Option<String>, f64)> = index
                .search(&query, limit)
                .into_iter()
                .map(|(id, s)| {
                    let name = version.technique(&id).map(|t| t.name.clone());
                    (id, name, s)
                })
                .collect();
            out!(
                "{}",
                if json {
                    render::search_json(&hits)
                } else {
                    render::search_human(&query, &hits)
                }
            );
        }
    }
    ExitCode::SUCCESS
}
