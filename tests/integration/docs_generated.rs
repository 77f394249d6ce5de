//! The generated pages of docs/ are what the code generates now: a check added or its doc
//! comment changed without `cargo run -p wazuh-mitre-dev --bin gen-docs` fails here.

#[path = "../../dev/src/rules_docs.rs"]
mod rules_docs;

#[test]
fn the_rules_reference_is_fresh() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = rules_docs::generate(repo).unwrap();
    let committed = std::fs::read_to_string(repo.join("docs/rules.md")).unwrap();
    assert!(
        committed == fresh,
        "docs/rules.md is stale: run `cargo run -p wazuh-mitre-dev --bin gen-docs`"
    );
    // Every check is on the page, with its manual's parts.
    for info in wazuh_mitre::checks::registry::all_infos() {
        let section = fresh
            .split(&format!("\n## {}\n", info.name))
            .nth(1)
            .unwrap_or_else(|| panic!("{} has no section", info.name));
        let section = section.split("\n## ").next().unwrap();
        assert!(
            section.contains("**What it finds:**"),
            "{}: {section}",
            info.name
        );
    }
}
