//! The committed `rules-db/attack/` files are exactly what the generator makes from MITRE's
//! bundles in `../shared/attack`, so the embedded data can always be traced to MITRE's.

mod common;

#[test]
fn committed_attack_tables_match_a_fresh_generation() {
    let Some(shared) = common::shared() else {
        return;
    };
    let files = wazuh_mitre::attack::generate::generate(&shared.join("attack")).unwrap();
    assert_eq!(files.len(), 5);
    for (name, contents) in files {
        let committed = std::fs::read_to_string(common::repo().join("rules-db/attack").join(&name))
            .unwrap_or_else(|e| panic!("rules-db/attack/{name}: {e}"));
        assert!(
            committed == contents,
            "rules-db/attack/{name} differs from a fresh generation: run `cargo run --bin gen-rules-db`"
        );
    }
}
