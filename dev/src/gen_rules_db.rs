//! Regenerates every generated table of `rules-db/` from `../shared`: `attack/` from MITRE's
//! bundles, `stock/` from the Wazuh 4.14.7 stock ruleset, `atomic/` from Atomic Red Team's
//! index, `detections/` from the public Sigma and Splunk detections.
//!
//! Usage: `cargo run -p wazuh-mitre-dev --bin gen-rules-db -- [SHARED_DIR] [RULES_DB_DIR]`
//! (defaults: `../shared` and `rules-db`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wazuh_mitre::{attack, coverage, ruleset, suggest};

/// Every generated file: (path inside `rules-db/`, contents).
fn generate(shared: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut files: Vec<(PathBuf, String)> = attack::generate::generate(&shared.join("attack"))?
        .into_iter()
        .map(|(name, text)| (Path::new("attack").join(name), text))
        .collect();
    let stock = ruleset::stock::generate(
        &shared.join(ruleset::stock::SHARED_RULES),
        ruleset::stock::SOURCE,
    )?;
    files.push(("stock/wazuh-4.14.7.jsonl".into(), stock));
    let atomic = coverage::atomic::generate(&shared.join(coverage::atomic::SHARED_INDEX))?;
    files.push(("atomic/atomic-tests.json".into(), atomic));
    let db = attack::AttackDb::embedded();
    let public = suggest::public_table::generate(
        &shared.join(suggest::public_table::SHARED_DIR),
        db.latest(),
    )?;
    files.push(("detections/public-detections.json".into(), public));
    Ok(files)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let shared = PathBuf::from(args.next().unwrap_or_else(|| "../shared".into()));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "rules-db".into()));
    let files = match generate(&shared) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for (name, contents) in files {
        let path = out.join(name);
        if let Err(e) = std::fs::write(&path, contents) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
