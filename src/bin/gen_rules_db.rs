//! Regenerates `rules-db/attack/` from MITRE's bundles.
//!
//! Usage: `cargo run --bin gen-rules-db -- [ATTACK_DIR] [OUT_DIR]`
//! (defaults: `../shared/attack` and `rules-db/attack`).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let attack_dir = PathBuf::from(args.next().unwrap_or_else(|| "../shared/attack".into()));
    let out_dir = PathBuf::from(args.next().unwrap_or_else(|| "rules-db/attack".into()));
    match wazuh_mitre::attack::generate::generate(&attack_dir) {
        Ok(files) => {
            for (name, contents) in files {
                let path = out_dir.join(&name);
                if let Err(e) = std::fs::write(&path, contents) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    return ExitCode::from(2);
                }
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
