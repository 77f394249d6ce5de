//! Issue 21: the everyday workflow (pre-commit, `fix --write`, CI) judged as a new user
//! meets it. Expected values come from the files, ATT&CK's bundles and the manager's rules,
//! never from the tool's own output.

mod common;

use common::cli::{run, run_json};
use common::write;
use std::collections::HashMap;

/// A technique as one ATT&CK bundle of ../shared records it, read here independently.
#[derive(Debug, Clone)]
struct Known {
    name: String,
    active: bool,
    revoked_by: Option<String>,
}

/// ATT&CK 13.1 (the manager's), from MITRE's STIX bundle.
fn stix_13_1() -> HashMap<String, Known> {
    let path = common::shared()
        .unwrap()
        .join("attack/enterprise-attack-13.1.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut out = HashMap::new();
    for o in v["objects"].as_array().unwrap() {
        if o["type"] != "attack-pattern" {
            continue;
        }
        let id = o["external_references"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["source_name"] == "mitre-attack")
            .and_then(|r| r["external_id"].as_str());
        if let Some(id) = id {
            let active = o["revoked"] != true && o["x_mitre_deprecated"] != true;
            out.insert(
                id.to_string(),
                Known {
                    name: o["name"].as_str().unwrap().to_string(),
                    active,
                    revoked_by: None,
                },
            );
        }
    }
    out
}

/// ATT&CK 19.2 (the newest embedded), from the field extract.
fn extract_19_2() -> HashMap<String, Known> {
    let path = common::shared()
        .unwrap()
        .join("attack/enterprise-attack-19.2-extract.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["techniques"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, t)| {
            (
                id.clone(),
                Known {
                    name: t["name"].as_str().unwrap().to_string(),
                    active: t["revoked"] != true && t["deprecated"] != true,
                    revoked_by: t["revoked_by"].as_str().map(str::to_string),
                },
            )
        })
        .collect()
}

/// The applicability a WM104 fix must have, from the two bundles: safe only when the
/// manager shows nothing for the old id today and shows the replacement with its newest
/// name; advice only when the manager does not know the replacement; unsafe otherwise.
fn expected_applicability(
    old: &str,
    newest: &HashMap<String, Known>,
    manager: &HashMap<String, Known>,
) -> Option<&'static str> {
    let mut current = old.to_string();
    let mut steps = 0;
    while let Some(next) = newest.get(&current).and_then(|t| t.revoked_by.clone()) {
        current = next;
        steps += 1;
        assert!(steps < 10, "revoked-by loop at {old}");
    }
    let replacement = newest.get(&current).filter(|t| t.active)?;
    let in_manager = manager.get(&current).filter(|t| t.active);
    Some(match in_manager {
        None => "display-only",
        Some(m) => {
            let old_shown = manager.get(old).is_some_and(|t| t.active);
            if !old_shown && m.name.eq_ignore_ascii_case(&replacement.name) {
                "safe"
            } else {
                "unsafe"
            }
        }
    })
}

#[test]
fn a_revoked_id_is_replaced_safely_only_where_the_manager_shows_the_same_meaning() {
    if common::shared().is_none() {
        return;
    }
    let newest = extract_19_2();
    let manager = stix_13_1();
    let mut revoked: Vec<&String> = newest
        .iter()
        .filter(|(_, t)| t.revoked_by.is_some())
        .map(|(id, _)| id)
        .collect();
    revoked.sort();
    assert!(revoked.len() > 100, "19.2 revokes {} ids", revoked.len());
    let rules: String = revoked
        .iter()
        .enumerate()
        .map(|(i, id)| {
            format!(
                "  <rule id=\"{}\" level=\"5\">\n    <match>x</match>\n    <description>r</description>\n    <mitre><id>{id}</id></mitre>\n  </rule>\n",
                100_000 + i
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "revoked_rules.xml",
        format!("<group name=\"local,\">\n{rules}</group>\n").as_bytes(),
    );
    let report = run_json(
        &[
            "lint",
            "--no-default-ruleset",
            "--isolated",
            "--select",
            "WM104",
            "--format",
            "json",
            file.to_str().unwrap(),
        ],
        0,
    );
    let found: HashMap<u64, Option<String>> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule_id"].as_u64().unwrap(),
                d["fix"]["applicability"].as_str().map(str::to_string),
            )
        })
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (i, id) in revoked.iter().enumerate() {
        let expected = expected_applicability(id, &newest, &manager);
        *counts.entry(expected.unwrap_or("none")).or_default() += 1;
        let got = found.get(&(100_000 + i as u64)).cloned().flatten();
        assert_eq!(got.as_deref(), expected, "{id}");
    }
    // Each kind occurs: the test would pass vacuously otherwise.
    for kind in ["safe", "unsafe", "display-only"] {
        assert!(counts.get(kind).copied().unwrap_or(0) > 0, "{counts:?}");
    }
    eprintln!("revoked ids of 19.2 by fix applicability: {counts:?}");
}

#[test]
fn fix_write_keeps_an_id_whose_replacement_means_another_technique_on_the_manager() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<group name=\"local,\">\n  <rule id=\"100100\" level=\"5\">\n    <match>x</match>\n    <description>DLL side-loading</description>\n    <mitre>\n      <id>T1574.002</id>\n      <id>T1574.001</id>\n    </mitre>\n  </rule>\n</group>\n";
    let file = write(dir.path(), "local_rules.xml", text.as_bytes());
    let (code, _, err) = run(&[
        "fix",
        "--write",
        "--no-default-ruleset",
        "--isolated",
        file.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}
