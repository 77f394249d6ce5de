//! The committed generated tables of `rules-db/` are exactly what the generator makes from
//! `../shared` (MITRE's bundles, the stock Wazuh ruleset), so the embedded data can always be
//! traced to its source.

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

#[test]
fn committed_stock_index_matches_a_fresh_generation() {
    let Some(shared) = common::shared() else {
        return;
    };
    use wazuh_mitre::ruleset::stock;
    let fresh = stock::generate(&shared.join(stock::SHARED_RULES), stock::SOURCE).unwrap();
    let committed =
        std::fs::read_to_string(common::repo().join("rules-db/stock/wazuh-4.14.7.json")).unwrap();
    assert!(
        committed == fresh,
        "rules-db/stock/wazuh-4.14.7.json differs from a fresh generation: run `cargo run --bin gen-rules-db`"
    );
}
