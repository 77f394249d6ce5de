//! Writes the generated pages of `docs/` (the rules reference) from the code.
//!
//! Usage: `cargo run -p wazuh-mitre-dev --bin gen-docs` (from the repository's root).

mod rules_docs;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match rules_docs::generate(&repo) {
        Ok(page) => {
            let path = repo.join("docs/rules.md");
            if let Err(e) = std::fs::write(&path, page) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
            println!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
