//! `wazuh-mitre coverage` on fixtures whose answers are stated beside each rule
//! (tests/fixtures/coverage/), on the stock ruleset computed independently of the coverage
//! code, and the Navigator layer checked against the 4.5 format.

use crate::common::cli::run;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const FIX: &str = "tests/fixtures/coverage";

fn coverage(args: &[&str]) -> (i32, Value, String) {
    let mut full = vec!["coverage", "--no-context", "--format", "json"];
    full.extend_from_slice(args);
    let (code, out, err) = run(&full);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v, err)
}

fn tactic<'a>(v: &'a Value, shortname: &str) -> &'a Value {
    v["tactics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["shortname"] == shortname)
        .unwrap()
}

fn covered_ids(t: &Value) -> BTreeSet<String> {
    t["techniques"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["covered"] == true)
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn only_rules_that_can_alert_count_and_sub_techniques_roll_up() {
    let (code, v, err) = coverage(&[&format!("{FIX}/rules.xml"), "--no-default-ruleset"]);
    assert_eq!(code, 0, "{err}");
    // T1110 and T1003 (through T1003.001) are Credential Access; T1046 is Discovery (ATT&CK).
    assert_eq!(
        covered_ids(tactic(&v, "credential-access")),
        BTreeSet::from(["T1003".into(), "T1110".into()])
    );
    assert_eq!(tactic(&v, "credential-access")["covered"], 2);
    let t1003 = tactic(&v, "credential-access")["techniques"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "T1003")
        .unwrap()
        .clone();
    assert_eq!(t1003["covered_by"], serde_json::json!(["T1003.001"]));
    assert_eq!(
        covered_ids(tactic(&v, "discovery")),
        BTreeSet::from(["T1046".into()])
    );
    // Level 0, noalert, no_log, unknown to 13.1, dropped, duplicate: none counts, each says why.
    for (shortname, id) in [
        ("execution", "T1059"),
        ("lateral-movement", "T1021"),
        ("collection", "T1005"),
        ("persistence", "T1098"),
    ] {
        assert!(
            !covered_ids(tactic(&v, shortname)).contains(id),
            "{id} counted"
        );
    }
    let why: BTreeMap<String, String> = v["cannot_alert"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["technique"].as_str().unwrap().to_string(),
                c["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(why["T1059.001"].contains("level 0"));
    assert!(why["T1021"].contains("noalert"));
    assert!(why["T1005"].contains("no_log"));
    assert!(why["T1653"].contains("13.1"));
    assert!(why["T1078"].contains("dropped") && why["T1078"].contains("100020"));
    assert!(why["T1098"].contains("duplicate id"));
    assert_eq!(why.len(), 6);
    assert!(v["claim"].as_str().unwrap().contains("not proof"));
}

#[test]
fn alerts_plain_and_gz_count_fired_untagged_and_bad_lines() {
    let plain = coverage(&[
        &format!("{FIX}/rules.xml"),
        "--no-default-ruleset",
        "--alerts",
        &format!("{FIX}/alerts.json"),
    ])
    .1;
    let gz = coverage(&[
        &format!("{FIX}/rules.xml"),
        "--no-default-ruleset",
        "--alerts",
        &format!("{FIX}/alerts.json.gz"),
    ])
    .1;
    for v in [&plain, &gz] {
        let f = &v["fired"];
        // Six lines: two T1110 alerts, a line that is not JSON (3), an untagged alert of
        // 100050, one with no rule (5), one of stock rule 60204 tagged T1562.001.
        assert_eq!(f["lines"], 6);
        assert_eq!(f["alerts"], 4);
        assert_eq!(f["bad_lines"], 2);
        let bad: Vec<&str> = f["bad_line_examples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap())
            .collect();
        assert!(
            bad[0].contains(":3: ") && bad[1].contains(":5: "),
            "{bad:?}"
        );
        assert_eq!(f["by_technique"]["T1110"], 2);
        // T1562.001 is revoked by T1685 in ATT&CK 19.2: counted under its current id.
        assert_eq!(f["by_technique"]["T1685"], 1);
        assert_eq!(f["fired_untagged"]["100050"], 1);
        assert_eq!(f["covered_and_fired"], serde_json::json!(["T1110"]));
        assert_eq!(
            f["covered_never_fired"],
            serde_json::json!(["T1003.001", "T1046"])
        );
    }
    // The plan: atomic tests for what is covered but never fired, as runnable lines.
    let plan = &plain["plan"];
    let t1003 = plan
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["technique"] == "T1003.001")
        .unwrap();
    let cmd = t1003["tests"][0]["command"].as_str().unwrap();
    assert!(
        cmd.starts_with("Invoke-AtomicTest T1003.001 -TestGuids "),
        "{cmd}"
    );
    let (_, text, _) = run(&[
        "coverage",
        "--no-context",
        "--format",
        "plan",
        "--no-default-ruleset",
        &format!("{FIX}/rules.xml"),
        "--alerts",
        &format!("{FIX}/alerts.json"),
    ]);
    assert!(text.contains(cmd), "{text}");
}

#[test]
fn unreadable_alerts_exit_2_and_a_binary_file_is_only_bad_lines() {
    let (code, _, err) = run(&[
        "coverage",
        "--no-context",
        "--no-default-ruleset",
        &format!("{FIX}/rules.xml"),
        "--alerts",
        "nope.json",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nope.json"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("binary.json");
    let mut bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    bytes.extend(std::iter::repeat_n(b'x', (1 << 20) + 5));
    std::fs::write(&bin, bytes).unwrap();
    let (code, v, _) = coverage(&[
        "--no-default-ruleset",
        &format!("{FIX}/rules.xml"),
        "--alerts",
        bin.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["fired"]["alerts"], 0);
    assert!(v["fired"]["bad_lines"].as_u64().unwrap() >= 1);
    assert!(v["fired"]["bad_line_examples"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b.as_str().unwrap().contains("longer than 1 MiB")));
}

#[test]
fn targets_and_fail_on_gaps() {
    let targets = format!("{FIX}/targets.txt");
    let (code, v, _) = coverage(&[
        &format!("{FIX}/rules.xml"),
        "--no-default-ruleset",
        "--targets",
        &targets,
        "--fail-on-gaps",
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["targets_uncovered"], serde_json::json!(["T1021"]));
    // A target goes first in the gap list.
    assert_eq!(v["gaps"][0]["id"], "T1021");
    assert_eq!(v["gaps"][0]["target"], true);
    let dir = tempfile::tempdir().unwrap();
    let ok = dir.path().join("t.txt");
    std::fs::write(&ok, "T1110\n").unwrap();
    let (code, _, _) = coverage(&[
        &format!("{FIX}/rules.xml"),
        "--no-default-ruleset",
        "--targets",
        ok.to_str().unwrap(),
        "--fail-on-gaps",
    ]);
    assert_eq!(code, 0);
    std::fs::write(&ok, "T1110\nT9999\n").unwrap();
    let (code, _, err) = run(&[
        "coverage",
        "--no-context",
        "--no-default-ruleset",
        &format!("{FIX}/rules.xml"),
        "--targets",
        ok.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("t.txt:2:") && err.contains("T9999"), "{err}");
}

#[test]
fn group_weighting_orders_the_gaps() {
    let (_, v, _) = coverage(&[
        &format!("{FIX}/rules.xml"),
        "--no-default-ruleset",
        "--group",
        "APT29",
        "--group",
        "fin7",
        "--gaps",
        "25",
    ]);
    let gaps = v["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 25);
    let weights: Vec<f64> = gaps.iter().map(|g| g["weight"].as_f64().unwrap()).collect();
    assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{weights:?}");
    // Weight = how many of the two groups use it; the first gaps are used by both.
    assert_eq!(weights[0], 2.0);
    for g in gaps.iter().filter(|g| g["weight"].as_f64().unwrap() > 0.0) {
        let groups: Vec<&str> = g["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(groups.len() as f64, g["weight"].as_f64().unwrap(), "{g}");
        assert!(
            groups.iter().all(|n| *n == "APT29" || *n == "FIN7"),
            "{groups:?}"
        );
    }
    assert_eq!(
        v["relevance"]["groups"],
        serde_json::json!(["G0016 APT29", "G0046 FIN7"])
    );
    let (code, _, err) = run(&[
        "coverage",
        "--no-context",
        "--no-default-ruleset",
        &format!("{FIX}/rules.xml"),
        "--group",
        "NoSuchGroup",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("NoSuchGroup"), "{err}");
}

#[test]
fn platforms_keep_only_their_techniques() {
    let (_, all, _) = coverage(&[&format!("{FIX}/rules.xml"), "--no-default-ruleset"]);
    let (_, linux, _) = coverage(&[
        &format!("{FIX}/rules.xml"),
        "--no-default-ruleset",
        "--platform",
        "linux",
    ]);
    let total = |v: &Value| v["summary"]["techniques_total"].as_u64().unwrap();
    assert!(total(&linux) < total(&all));
    // Every relevant cell is a Linux technique of ATT&CK 19.2 (read from the extract here).
    if crate::common::shared().is_none() {
        return;
    }
    let extract: Value = crate::common::attack_json("enterprise-attack-19.2-extract.json");
    for t in linux["tactics"].as_array().unwrap() {
        for c in t["techniques"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["relevant"] == true)
        {
            let platforms = &extract["techniques"][c["id"].as_str().unwrap()]["platforms"];
            assert!(
                platforms.as_array().unwrap().iter().any(|p| p == "Linux"),
                "{c}"
            );
        }
    }
}

#[test]
fn compare_names_what_a_change_loses_and_why() {
    let (_, v, _) = coverage(&[
        &format!("{FIX}/after"),
        "--only",
        "--compare",
        &format!("{FIX}/before"),
    ]);
    let d = &v["compare"];
    assert_eq!(d["lost"][0]["technique"], "T1003.001");
    let why = d["lost"][0]["why"][0].as_str().unwrap();
    assert!(
        why.contains("100230") && why.contains("dropped") && why.contains("100229"),
        "{why}"
    );
    assert_eq!(d["gained"][0]["technique"], "T1135");
    assert_eq!(d["gained"].as_array().unwrap().len(), 1);
    assert_eq!(d["lost"].as_array().unwrap().len(), 1);
}

/// The Navigator layer format 4.5 (../shared/formats/navigator-layer-4.5/layerformat.md):
/// required fields and types, technique ids, tactic short names of the chosen version.
fn assert_layer(layer: &Value, tactics: &BTreeSet<String>) {
    assert!(layer["name"].is_string());
    assert_eq!(layer["domain"], "enterprise-attack");
    assert_eq!(layer["versions"]["layer"], "4.5");
    let nav = layer["versions"]["navigator"].as_str().unwrap();
    let parts: Vec<u32> = nav.split('.').map(|p| p.parse().unwrap()).collect();
    assert!(
        parts >= vec![4, 9, 0],
        "navigator version {nav} must be at least 4.9.0"
    );
    assert!(layer["versions"]["attack"].is_string());
    let id = regex::Regex::new(r"^T\d{4}(\.\d{3})?$").unwrap();
    let techniques = layer["techniques"].as_array().unwrap();
    assert!(!techniques.is_empty());
    for t in techniques {
        assert!(id.is_match(t["techniqueID"].as_str().unwrap()), "{t}");
        assert!(
            tactics.contains(t["tactic"].as_str().unwrap()),
            "tactic {} is not a tactic of this version",
            t["tactic"]
        );
        // A score is optional; an entry without one stands out by its own colour.
        assert!(t["comment"].is_string() && t["enabled"].is_boolean(), "{t}");
        assert!(
            t["score"].is_number() || (t.get("score").is_none() && t["color"].is_string()),
            "{t}"
        );
        if let Some(links) = t["links"].as_array() {
            assert!(links
                .iter()
                .all(|l| l["label"].is_string()
                    && l["url"].as_str().unwrap().starts_with("https://")));
        }
    }
    let g = &layer["gradient"];
    assert!(g["colors"].as_array().unwrap().len() >= 2);
    assert!(g["maxValue"].as_f64().unwrap() > g["minValue"].as_f64().unwrap());
    for item in layer["legendItems"].as_array().unwrap() {
        assert!(item["label"].is_string() && item["color"].is_string());
    }
    for m in layer["metadata"].as_array().unwrap() {
        assert!(m["name"].is_string() && m["value"].is_string());
    }
}

#[test]
fn the_navigator_layer_follows_the_format_and_the_versions_tactic_names() {
    if crate::common::shared().is_none() {
        return;
    }
    let extract: Value = crate::common::attack_json("enterprise-attack-19.2-extract.json");
    let v19: BTreeSet<String> = extract["tactics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["shortname"].as_str().unwrap().to_string())
        .collect();
    // ATT&CK 13.1's 14 tactics, as ../shared/attack/SOURCE.md lists them in matrix order.
    let v13: BTreeSet<String> = "reconnaissance resource-development initial-access execution persistence privilege-escalation defense-evasion credential-access discovery lateral-movement collection command-and-control exfiltration impact".split(' ').map(String::from).collect();
    let impair = format!("{FIX}/impair.xml");
    // The one covered entry of the layer, checked against the version's tactic names.
    let covered_entry = |extra: &[&str], tactics: &BTreeSet<String>| -> (String, String) {
        let mut args = vec![
            "coverage",
            "--no-context",
            "--format",
            "navigator",
            "--no-default-ruleset",
            &impair,
        ];
        args.extend_from_slice(extra);
        let (code, out, _) = run(&args);
        assert_eq!(code, 0);
        let layer: Value = serde_json::from_str(&out).unwrap();
        assert_layer(&layer, tactics);
        let t = layer["techniques"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["score"].as_u64() == Some(1))
            .unwrap();
        (
            t["techniqueID"].as_str().unwrap().to_string(),
            t["tactic"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(
        covered_entry(&[], &v19),
        ("T1685".into(), "defense-impairment".into())
    );
    assert_eq!(
        covered_entry(&["--attack-version", "13.1"], &v13),
        ("T1562.001".into(), "defense-evasion".into())
    );
    // v19.2 has 15 tactics, the manager's 13.1 has 14.
    assert_eq!(
        coverage(&["--no-default-ruleset", &impair]).1["tactics"]
            .as_array()
            .unwrap()
            .len(),
        15
    );
    assert_eq!(
        coverage(&["--attack-version", "13.1", "--no-default-ruleset", &impair]).1["tactics"]
            .as_array()
            .unwrap()
            .len(),
        14
    );
}

/// Per tactic (shortname): (covered, total), counted here from the rule files and MITRE's data
/// alone: rules that can alert, tags active in ATT&CK 13.1 (its STIX bundle), counted under
/// their ATT&CK 19.2 id (the extract's revoked-by chain), rolled up to the parent technique.
fn independent_stock_count(shared: &std::path::Path) -> Vec<(String, String, usize, usize)> {
    let stix: Value = crate::common::attack_json("enterprise-attack-13.1.json");
    let active13: BTreeSet<String> = stix["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            o["type"] == "attack-pattern" && o["revoked"] != true && o["x_mitre_deprecated"] != true
        })
        .filter_map(|o| {
            o["external_references"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["source_name"] == "mitre-attack")
        })
        .map(|r| r["external_id"].as_str().unwrap().to_string())
        .collect();
    let extract: Value = crate::common::attack_json("enterprise-attack-19.2-extract.json");
    let techniques = extract["techniques"].as_object().unwrap();
    let current = |id: &str| -> Option<String> {
        let mut id = id.to_string();
        for _ in 0..5 {
            let t = techniques.get(&id)?;
            match t["revoked_by"].as_str() {
                Some(next) if t["revoked"] == true => id = next.to_string(),
                _ => return Some(id),
            }
        }
        None
    };
    // The lint run confirms no stock rule is dropped at load (no WM201, no "ignores this rule").
    let (_, lint, _) = run(&[
        "lint",
        "--format",
        "json",
        shared.join("corpus/wazuh-4.14.7/rules").to_str().unwrap(),
    ]);
    let lint: Value = serde_json::from_str(&lint).unwrap();
    assert!(lint["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["code"] != "WM201"
            && !d["message"].as_str().unwrap().contains("ignores this rule")));
    let mut covered: BTreeSet<String> = BTreeSet::new();
    for entry in std::fs::read_dir(shared.join("corpus/wazuh-4.14.7/rules")).unwrap() {
        let file = wazuh_mitre::ruleset::read::read_path(&entry.unwrap().path()).unwrap();
        for rule in &file.rules {
            if rule.level.unwrap_or(0) < 1
                || rule.noalert
                || rule.options.iter().any(|o| o == "no_log")
            {
                continue;
            }
            for id in rule.tagged_ids() {
                if active13.contains(&id) {
                    if let Some(c) = current(&id) {
                        covered.insert(c.split('.').next().unwrap().to_string());
                    }
                }
            }
        }
    }
    extract["tactics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let short = t["shortname"].as_str().unwrap();
            let top: Vec<&String> = techniques
                .iter()
                .filter(|(_, v)| {
                    v["is_subtechnique"] == false
                        && v["revoked"] == false
                        && v["deprecated"] == false
                })
                .filter(|(_, v)| v["tactics"].as_array().unwrap().iter().any(|x| x == short))
                .map(|(k, _)| k)
                .collect();
            let n = top.iter().filter(|k| covered.contains(k.as_str())).count();
            (
                short.to_string(),
                t["name"].as_str().unwrap().to_string(),
                n,
                top.len(),
            )
        })
        .collect()
}

#[test]
fn stock_per_tactic_table_matches_an_independent_count_and_the_docs() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let expected = independent_stock_count(&shared);
    let (_, v, _) = coverage(&[shared.join("corpus/wazuh-4.14.7/rules").to_str().unwrap()]);
    let ours: Vec<(String, String, usize, usize)> = v["tactics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["shortname"].as_str().unwrap().to_string(),
                t["name"].as_str().unwrap().to_string(),
                t["covered"].as_u64().unwrap() as usize,
                t["total"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(ours, expected);
    // The table of docs/coverage.md, between its markers, is the same.
    let page = std::fs::read_to_string(crate::common::repo().join("docs/coverage.md")).unwrap();
    let table = page
        .split("<!-- stock-coverage -->")
        .nth(1)
        .expect("docs/coverage.md has the stock coverage table");
    for (_, name, n, total) in &expected {
        assert!(
            table.contains(&format!("| {name} | {n} | {total} |")),
            "docs/coverage.md row for {name}: {n}/{total}"
        );
    }
}

#[test]
fn gaps_name_public_detections_of_the_technique_with_their_authors() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let (_, v, _) = coverage(&[
        &format!("{FIX}/rules.xml"),
        "--no-default-ruleset",
        "--gaps",
        "5",
    ]);
    let mut sigma_files = Vec::new();
    let mut stack = vec![shared.join("detections/sigma")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yml") {
                sigma_files.push(std::fs::read_to_string(p).unwrap());
            }
        }
    }
    let mut checked = 0;
    for g in v["gaps"].as_array().unwrap() {
        let id = g["id"].as_str().unwrap().to_ascii_lowercase();
        for d in g["detections"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["source"] == "sigma")
        {
            // The rule itself, found by its id in SigmaHQ's files, is tagged with the technique
            // (or a sub-technique) and written by the author named.
            let file = sigma_files
                .iter()
                .find(|f| {
                    let want = format!("id: {}", d["id"].as_str().unwrap());
                    f.lines().any(|l| l.trim_end() == want)
                })
                .expect("the detection is a SigmaHQ rule");
            assert!(
                file.contains(&format!("attack.{id}")),
                "{} is not tagged {id}",
                d["title"]
            );
            let author = d["author"].as_str().unwrap();
            assert!(
                !author.is_empty() && file.contains(author.split(',').next().unwrap().trim()),
                "{author}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked}");
}
