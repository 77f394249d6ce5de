//! `wazuh-mitre attack show|search|versions`

use super::usage_error;
use crate::attack::model::Status;
use crate::attack::search::SearchIndex;
use crate::attack::{stix, AttackDb};
use clap::{Args, Subcommand};
use serde_json::json;
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
    match args.command {
        AttackCommand::Versions => {
            let latest = db.latest_name().to_string();
            if args.format == OutFormat::Json {
                let v: Vec<_> = db
                    .all_versions()
                    .map(|v| json!({"version": v.version(), "source": v.source(), "techniques": v.techniques().len(), "tactics": v.tactics().len(), "default": v.version() == latest, "manager_default": v.version() == crate::attack::WAZUH_4_MANAGER_VERSION}))
                    .collect();
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&v).expect("JSON values serialise")
                );
            } else {
                for v in db.all_versions() {
                    let mut notes = Vec::new();
                    if v.version() == latest {
                        notes.push("default: is an id current");
                    }
                    if v.version() == crate::attack::WAZUH_4_MANAGER_VERSION {
                        notes.push("Wazuh 4.x manager");
                    }
                    outln!(
                        "{:<6} {:>4} techniques, {:>2} tactics  {}{}",
                        v.version(),
                        v.techniques().len(),
                        v.tactics().len(),
                        v.source(),
                        if notes.is_empty() {
                            String::new()
                        } else {
                            format!("  [{}]", notes.join("; "))
                        }
                    );
                }
            }
            ExitCode::SUCCESS
        }
        AttackCommand::Show { id } => {
            let id = id.trim().to_ascii_uppercase();
            if id.starts_with("TA") {
                return show_tactic(&db, version, &id, args.format);
            }
            let Some(resolution) = version.resolve(&id) else {
                let elsewhere: Vec<String> = db
                    .history(&id)
                    .into_iter()
                    .map(|(v, s)| format!("{v} ({})", s.as_str()))
                    .collect();
                if elsewhere.is_empty() {
                    eprintln!("error: `{id}` is not an ATT&CK Enterprise technique in any known version ({})", db.version_names().join(", "));
                } else {
                    eprintln!(
                        "error: `{id}` is not in ATT&CK {}; it is in {}",
                        version.version(),
                        elsewhere.join(", ")
                    );
                }
                return ExitCode::from(1);
            };
            let t = resolution.chain[0];
            let current = resolution.current();
            // One answer in every format: a revoked technique's tactics and platforms are
            // those of its replacement, and both formats say whose they are.
            let shown = current.unwrap_or(t);
            let tactics: Vec<_> = version
                .tactics_of(shown)
                .iter()
                .map(|x| json!({"id": x.id, "name": x.name}))
                .collect();
            let history: Vec<_> = db
                .history(&id)
                .into_iter()
                .map(|(v, s)| json!({"version": v, "status": s.as_str()}))
                .collect();
            // ATT&CK's own words: the first paragraph of the description the text table has
            // (the newest full bundle's), for the technique shown.
            let text = db.text();
            let description = text
                .technique(&shown.id)
                .map(|x| first_paragraph(&x.description).to_string())
                .filter(|d| !d.is_empty());
            if args.format == OutFormat::Json {
                let doc = json!({
                    "id": t.id, "name": t.name, "version": version.version(), "status": t.status.as_str(),
                    "sub_technique": t.sub, "tactics": tactics, "platforms": shown.platforms,
                    "tactics_of": shown.id,
                    "revoked_chain": resolution.chain.iter().map(|c| &c.id).collect::<Vec<_>>(),
                    "current": current.map(|c| json!({"id": c.id, "name": c.name})),
                    "successors": t.successors, "versions": history,
                    "description": description,
                    "description_version": description.as_ref().map(|_| text.version()),
                });
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&doc).expect("JSON values serialise")
                );
                return ExitCode::SUCCESS;
            }
            outln!(
                "{} {} ({} in ATT&CK {})",
                t.id,
                t.name,
                t.status.as_str(),
                version.version()
            );
            if resolution.chain.len() > 1 {
                let c = resolution.chain.last().expect("non-empty chain");
                outln!("  revoked: {} {}", resolution.arrow_text(), c.name);
            }
            if !t.successors.is_empty() {
                outln!("  successors named by ATT&CK: {}", t.successors.join(", "));
            }
            let names: Vec<String> = version
                .tactics_of(shown)
                .iter()
                .map(|x| format!("{} {}", x.id, x.name))
                .collect();
            let of = if shown.id != t.id {
                format!(" (of {})", shown.id)
            } else {
                String::new()
            };
            outln!(
                "  tactics{of}:   {}",
                if names.is_empty() {
                    "-".into()
                } else {
                    names.join(", ")
                }
            );
            outln!(
                "  platforms: {}",
                if shown.platforms.is_empty() {
                    "-".into()
                } else {
                    shown.platforms.join(", ")
                }
            );
            let hist: Vec<String> = db
                .history(&id)
                .into_iter()
                .map(|(v, s)| format!("{v} {}", s.as_str()))
                .collect();
            outln!("  versions:  {}", hist.join(", "));
            if let Some(d) = description {
                outln!("  link:      {}", technique_url(&shown.id));
                outln!("\n{d}\n(ATT&CK {})", text.version());
            }
            ExitCode::SUCCESS
        }
        AttackCommand::Search { query, limit } => {
            let index = SearchIndex::build(version, db.text());
            let hits = index.search(&query, limit);
            if args.format == OutFormat::Json {
                let v: Vec<_> = hits
                    .iter()
                    .map(|(id, s)| json!({"id": id, "name": version.technique(id).map(|t| t.name.clone()), "score": (s * 1000.0).round() / 1000.0}))
                    .collect();
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&v).expect("JSON values serialise")
                );
            } else if hits.is_empty() {
                outln!("no technique matches `{query}`");
            } else {
                for (id, s) in hits {
                    let name = version.technique(&id).map_or("", |t| t.name.as_str());
                    outln!("{s:>6.2}  {id:<10} {name}");
                }
            }
            ExitCode::SUCCESS
        }
    }
}

/// The first paragraph of ATT&CK prose.
fn first_paragraph(text: &str) -> &str {
    text.trim().split("\n\n").next().unwrap_or("").trim()
}

fn technique_url(id: &str) -> String {
    format!(
        "https://attack.mitre.org/techniques/{}/",
        id.replace('.', "/")
    )
}

/// `attack show TA0005`: the tactic in the selected version and in every other, with how
/// many active techniques stand under it.
fn show_tactic(
    db: &crate::attack::AttackDb,
    version: &crate::attack::AttackVersion,
    id: &str,
    format: OutFormat,
) -> ExitCode {
    let names: Vec<(String, String)> = db
        .all_versions()
        .filter_map(|v| {
            v.tactic(id)
                .map(|t| (v.version().to_string(), t.name.clone()))
        })
        .collect();
    let Some(tactic) = version.tactic(id) else {
        if names.is_empty() {
            eprintln!(
                "error: `{id}` is not an ATT&CK Enterprise tactic in any known version ({})",
                db.version_names().join(", ")
            );
        } else {
            let list: Vec<String> = names.iter().map(|(v, n)| format!("{v} ({n})")).collect();
            eprintln!(
                "error: `{id}` is not in ATT&CK {}; it is in {}",
                version.version(),
                list.join(", ")
            );
        }
        return ExitCode::from(1);
    };
    let techniques = version
        .techniques()
        .filter(|t| t.status == Status::Active && t.tactics.contains(&tactic.shortname))
        .count();
    if format == OutFormat::Json {
        let doc = json!({
            "id": tactic.id, "name": tactic.name, "shortname": tactic.shortname,
            "version": version.version(), "techniques": techniques,
            "versions": names.iter().map(|(v, n)| json!({"version": v, "name": n})).collect::<Vec<_>>(),
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("JSON values serialise")
        );
        return ExitCode::SUCCESS;
    }
    outln!(
        "{} {} (tactic in ATT&CK {})",
        tactic.id,
        tactic.name,
        version.version()
    );
    outln!("  techniques: {techniques} active, sub-techniques included");
    let hist: Vec<String> = names.iter().map(|(v, n)| format!("{v} {n}")).collect();
    outln!("  versions:   {}", hist.join(", "));
    outln!(
        "  link:       https://attack.mitre.org/tactics/{}/",
        tactic.id
    );
    ExitCode::SUCCESS
}
