//! The committed generated tables of `rules-db/` are exactly what the generator makes from
//! `../shared` (MITRE's bundles, the stock Wazuh ruleset), so the embedded data can always be
//! traced to its source.

#[test]
fn committed_attack_tables_match_a_fresh_generation() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let files = wazuh_mitre::attack::generate::generate(&shared.join("attack")).unwrap();
    assert_eq!(files.len(), 5);
    for (name, contents) in files {
        let committed =
            std::fs::read_to_string(crate::common::repo().join("rules-db/attack").join(&name))
                .unwrap_or_else(|e| panic!("rules-db/attack/{name}: {e}"));
        assert!(
            committed == contents,
            "rules-db/attack/{name} differs from a fresh generation: run `cargo run -p wazuh-mitre-dev --bin gen-rules-db`"
        );
    }
}

#[test]
fn committed_stock_index_matches_a_fresh_generation() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    use wazuh_mitre::ruleset::stock;
    let fresh = stock::generate(&shared.join(stock::SHARED_RULES), stock::SOURCE).unwrap();
    let committed =
        std::fs::read_to_string(crate::common::repo().join("rules-db/stock/wazuh-4.14.7.jsonl"))
            .unwrap();
    assert!(
        committed == fresh,
        "rules-db/stock/wazuh-4.14.7.jsonl differs from a fresh generation: run `cargo run -p wazuh-mitre-dev --bin gen-rules-db`"
    );
}

#[test]
fn committed_atomic_table_matches_a_fresh_generation() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    use wazuh_mitre::coverage::atomic;
    let fresh = atomic::generate(&shared.join(atomic::SHARED_INDEX)).unwrap();
    let committed =
        std::fs::read_to_string(crate::common::repo().join("rules-db/atomic/atomic-tests.json"))
            .unwrap();
    assert!(
        committed == fresh,
        "rules-db/atomic/atomic-tests.json differs from a fresh generation: run `cargo run -p wazuh-mitre-dev --bin gen-rules-db`"
    );
    // Every test of the CSV index is there once, with the platforms of its per-platform files.
    let tests = atomic::embedded();
    let csv = std::fs::read_to_string(shared.join(atomic::SHARED_INDEX).join("index.csv")).unwrap();
    let guids: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').rev().nth(1))
        .collect();
    assert_eq!(tests.len(), guids.len());
    let win = std::fs::read_to_string(shared.join(atomic::SHARED_INDEX).join("windows-index.csv"))
        .unwrap();
    let t = tests.iter().find(|t| win.contains(&t.guid)).unwrap();
    assert!(t.platforms.iter().any(|p| p == "windows"));
}

#[test]
fn committed_detections_table_matches_a_fresh_generation() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    use wazuh_mitre::suggest::public_table;
    let db = wazuh_mitre::attack::AttackDb::embedded();
    let fresh =
        public_table::generate(&shared.join(public_table::SHARED_DIR), db.latest()).unwrap();
    let committed = std::fs::read_to_string(
        crate::common::repo().join("rules-db/detections/public-detections.json"),
    )
    .unwrap();
    assert!(
        committed == fresh,
        "rules-db/detections/public-detections.json differs from a fresh generation: run `cargo run -p wazuh-mitre-dev --bin gen-rules-db`"
    );
    // Every detection keeps its author and id (the Detection Rule License asks for both), and
    // every technique is a current id of the newest ATT&CK.
    let table = public_table::embedded();
    assert!(table.len() > 4_800, "{}", table.len());
    assert!(table.iter().all(|d| !d.id.is_empty()));
    let sigma_without_author = table
        .iter()
        .filter(|d| d.source == "sigma" && d.author.is_empty())
        .count();
    assert_eq!(sigma_without_author, 0);
    assert!(table
        .iter()
        .flat_map(|d| &d.techniques)
        .all(|t| db.latest().is_active(t)));
}
