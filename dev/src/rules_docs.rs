//! `docs/rules.md`, the rules reference: every check of the registry (code, name, default
//! severity, best fix) with its manual, the `## name (CODE)` section of its file's doc
//! comment in `src/checks/` (ruff generates its rule pages from the rules' doc comments too).
//!
//! Shared by `gen-docs` (which writes the page) and the root package's test that fails when
//! the committed page is stale (`tests/docs_generated.rs` includes this file).

use std::collections::BTreeMap;
use std::path::Path;
use wazuh_mitre::checks::registry::all_infos;
use wazuh_mitre::checks::Applicability;

/// The manual of each check, by name, read from the `//!` comments of `src/checks/*.rs`.
fn manuals(repo: &Path) -> Result<BTreeMap<String, String>, String> {
    let dir = repo.join("src/checks");
    let mut out = BTreeMap::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    paths.sort();
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let doc: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.strip_prefix("//! ")
                    .unwrap_or(l.strip_prefix("//!").unwrap_or(l))
            })
            .collect();
        let mut current: Option<(String, Vec<&str>)> = None;
        for line in doc {
            if let Some(heading) = line.strip_prefix("## ") {
                if let Some((name, body)) = current.take() {
                    out.insert(name, body.join("\n").trim().to_string());
                }
                let name = heading.split(" (").next().unwrap_or(heading).to_string();
                current = Some((name, Vec::new()));
            } else if let Some((_, body)) = current.as_mut() {
                body.push(line);
            }
        }
        if let Some((name, body)) = current {
            out.insert(name, body.join("\n").trim().to_string());
        }
    }
    Ok(out)
}

fn applicability(a: Option<Applicability>) -> &'static str {
    match a {
        Some(Applicability::Safe) => "safe",
        Some(Applicability::Unsafe) => "unsafe",
        Some(Applicability::DisplayOnly) => "advice only",
        None => "none",
    }
}

/// The page's text.
pub fn generate(repo: &Path) -> Result<String, String> {
    let manuals = manuals(repo)?;
    let infos = all_infos();
    let mut out = String::from(
        "# Rules reference\n\n\
         Generated from the check registry and each check's doc comment in `src/checks/` by\n\
         `cargo run -p wazuh-mitre-dev --bin gen-docs`; a test fails when this page is stale.\n\
         Codes and names are stable: `--select`, `--ignore`, `severity:` and suppressions take\n\
         either, or a code prefix (`WM1`). Why each default is what it is: [defaults.md](defaults.md).\n\n\
         | code | name | default | fix | finds |\n|---|---|---|---|---|\n",
    );
    for i in &infos {
        out.push_str(&format!(
            "| {} | [{}](#{}) | {} | {} | {} |\n",
            i.code,
            i.name,
            i.name,
            i.severity.as_str(),
            applicability(i.fix),
            i.summary.replace('|', "\\|").replace('<', "&lt;")
        ));
    }
    for i in &infos {
        let manual = manuals
            .get(i.name)
            .ok_or_else(|| format!("no `//! ## {} ({})` section in src/checks/", i.name, i.code))?;
        out.push_str(&format!(
            "\n## {}\n\n**{}** · default **{}** · fix: {}\n\n{manual}\n",
            i.name,
            i.code,
            i.severity.as_str(),
            applicability(i.fix)
        ));
    }
    Ok(out)
}
