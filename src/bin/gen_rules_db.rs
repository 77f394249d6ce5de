//! Regenerates every generated table of `rules-db/` from `../shared`: `attack/` from MITRE's
//! bundles, `stock/` from the Wazuh 4.14.7 stock ruleset, `atomic/` from Atomic Red Team's
//! index, `detections/` from the public Sigma and Splunk detections.
//!
//! Usage: `cargo run --bin gen-rules-db -- [SHARED_DIR] [RULES_DB_DIR]`
//! (defaults: `../shared` and `rules-db`).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let shared = PathBuf::from(args.next().unwrap_or_else(|| "../shared".into()));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "rules-db".into()));
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    match wazuh_mitre::attack::generate::generate(&shared.join("attack")) {
        Ok(list) => files.extend(
            list.into_iter()
                .map(|(n, c)| (out.join("attack").join(n), c)),
        ),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    match wazuh_mitre::ruleset::stock::generate(
        &shared.join(wazuh_mitre::ruleset::stock::SHARED_RULES),
        wazuh_mitre::ruleset::stock::SOURCE,
    ) {
        Ok(text) => files.push((out.join("stock/wazuh-4.14.7.json"), text)),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    match wazuh_mitre::coverage::atomic::generate(
        &shared.join(wazuh_mitre::coverage::atomic::SHARED_INDEX),
    ) {
        Ok(text) => files.push((out.join("atomic/atomic-tests.json"), text)),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let db = wazuh_mitre::attack::AttackDb::embedded();
    match wazuh_mitre::suggest::public_table::generate(
        &shared.join(wazuh_mitre::suggest::public_table::SHARED_DIR),
        db.latest(),
    ) {
        Ok(text) => files.push((out.join("detections/public-detections.json"), text)),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    for (path, contents) in files {
        if let Err(e) = std::fs::write(&path, contents) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
