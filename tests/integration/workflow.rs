//! Issue 21: the everyday workflow (pre-commit, `fix --write`, CI) judged as a new user
//! meets it. Expected values come from the files, ATT&CK's bundles and the manager's rules,
//! never from the tool's own output.

use crate::common::cli::{run, run_json};
use crate::common::write;
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
    crate::common::stix_techniques("enterprise-attack-13.1.json")
        .into_iter()
        .map(|t| {
            let known = Known {
                name: t.name,
                active: t.active,
                revoked_by: None,
            };
            (t.id, known)
        })
        .collect()
}

/// ATT&CK 19.2 (the newest embedded), from the field extract.
fn extract_19_2() -> HashMap<String, Known> {
    let v = crate::common::attack_json("enterprise-attack-19.2-extract.json");
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
    if crate::common::shared().is_none() {
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
    let (code, _, err) = fix_write(&file);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

/// The binary run with `args` in `dir`: exit status, stdout, stderr.
fn run_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = crate::common::cli::bin()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `fix --write FILE` as the pre-commit fix hook runs it.
fn fix_write(file: &std::path::Path) -> (i32, String, String) {
    run(&[
        "fix",
        "--write",
        "--no-default-ruleset",
        "--isolated",
        file.to_str().unwrap(),
    ])
}

/// `lint ARGS...` as pre-commit runs it (concise output), in `dir`.
fn lint_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut full = vec![
        "lint",
        "--no-default-ruleset",
        "--isolated",
        "--format",
        "concise",
    ];
    full.extend_from_slice(args);
    run_in(dir, &full)
}

fn rule(id: u32, parent: Option<u32>, description: &str) -> String {
    let parent = parent.map_or(String::new(), |p| format!("    <if_sid>{p}</if_sid>\n"));
    format!(
        "  <rule id=\"{id}\" level=\"5\">\n{parent}    <match>x</match>\n    <description>{description}</description>\n    <mitre><id>T1110</id></mitre>\n  </rule>\n"
    )
}

fn group(rules: &[String]) -> String {
    format!("<group name=\"local,\">\n{}</group>\n", rules.concat())
}

/// The findings of concise output, as (file, code) pairs, are exactly `expected`.
fn assert_findings(out: &str, expected: &[(&str, &str)]) {
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
    assert_eq!(findings(out), expected, "{out}");
}

/// Codes of the findings in concise output, with the file each is on.
fn findings(out: &str) -> Vec<(String, String)> {
    out.lines()
        .filter_map(|l| {
            let (path, rest) = l.split_once(':')?;
            let code = rest.split_whitespace().find(|w| w.starts_with("WM"))?;
            Some((path.to_string(), code.to_string()))
        })
        .collect()
}

#[test]
fn a_staged_file_is_judged_after_the_files_its_folder_loads_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let rules = dir.path().join("rules");
    write(
        &rules,
        "a_rules.xml",
        group(&[rule(100100, None, "parent")]).as_bytes(),
    );
    write(
        &rules,
        "b_rules.xml",
        group(&[
            rule(100101, Some(100100), "child"),
            rule(100100, None, "second definition"),
        ])
        .as_bytes(),
    );
    // The manager loads a_rules.xml first: 100101's parent is there, and b's 100100 is
    // the duplicate it drops.
    let (code, out, err) = lint_in(dir.path(), &["rules/b_rules.xml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_findings(&out, &[("rules/b_rules.xml", "WM201")]);
    assert!(out.contains("rules/a_rules.xml:2"), "{out}");
    // Alone, the file is what it says: its own 100100 loads after the child.
    let (_, alone, _) = lint_in(dir.path(), &["--no-context", "rules/b_rules.xml"]);
    assert_findings(&alone, &[("rules/b_rules.xml", "WM204")]);
    // No PATHS: the current folder, as ruff does; both files are reported on.
    let (code, here, err) = lint_in(&rules, &[]);
    assert_eq!(code, 1, "{here}{err}");
    assert_findings(&here, &[("b_rules.xml", "WM201")]);
    assert!(here.contains("in 2 files (3 rules)"), "{here}");
}

#[test]
fn a_file_from_a_folder_of_a_hundred_is_reported_alone_with_the_others_as_context() {
    let dir = tempfile::tempdir().unwrap();
    // File i defines rule 100000 + i, the child of the rule of file i - 1. File 50 also
    // defines the id of file 80, which loads later: there the manager drops file 80's rule.
    for i in 0..100u32 {
        let parent = (i > 0).then(|| 100_000 + i - 1);
        let mut rules = vec![rule(100_000 + i, parent, &format!("rule {i}"))];
        if i == 50 {
            rules.push(rule(100_080, None, "taken early"));
        }
        write(
            dir.path(),
            &format!("r{i:03}_rules.xml"),
            group(&rules).as_bytes(),
        );
    }
    let (code, out, err) = lint_in(dir.path(), &["r080_rules.xml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_findings(&out, &[("r080_rules.xml", "WM201")]);
    assert!(out.contains("r050_rules.xml"), "{out}");
    assert!(out.contains("in 1 file (1 rule)"), "{out}");
    // A file in the middle, with its parent in the file before: nothing to say.
    let (code, out, err) = lint_in(dir.path(), &["r030_rules.xml"]);
    assert_eq!((code, out.lines().count()), (0, 1), "{out}{err}");
}

#[test]
fn decoders_are_named_and_skipped_and_never_pass_as_rules() {
    let dir = tempfile::tempdir().unwrap();
    let decoder = "<decoder name=\"local\">\n  <prematch>x</prematch>\n</decoder>\n";
    write(dir.path(), "local_decoder.xml", decoder.as_bytes());
    write(
        dir.path(),
        "local_rules.xml",
        group(&[rule(100100, None, "r")]).as_bytes(),
    );
    // The rule file, with a decoder file beside it: the decoders are no rules and no error.
    let (code, out, err) = lint_in(dir.path(), &["local_rules.xml"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 rule in 1 file"), "{out}");
    // The folder: the decoder file is named on standard error, the rules pass.
    let (code, out, err) = lint_in(dir.path(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("local_decoder.xml holds decoders, not rules: skipped"),
        "{err}"
    );
    // Only decoders: no rule file at all is a usage error (exit 2), never "All checks passed".
    let (code, out, err) = lint_in(dir.path(), &["local_decoder.xml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("holds decoders, not rules"), "{err}");
    assert!(!out.contains("passed"), "{out}");
    // XML that is neither.
    write(
        dir.path(),
        "ossec.xml",
        b"<ossec_config>\n</ossec_config>\n",
    );
    let (code, _, err) = lint_in(dir.path(), &["ossec.xml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("holds no rules"), "{err}");
    // The stock decoders folder.
    if let Some(shared) = crate::common::shared() {
        let decoders = shared.join("corpus/wazuh-4.14.7/decoders");
        let (code, out, err) = lint_in(dir.path(), &[decoders.to_str().unwrap()]);
        assert_eq!(code, 2, "{out}{err}");
        let files = std::fs::read_dir(&decoders).unwrap().count();
        assert!(err.contains(&format!("{files} files of decoders")), "{err}");
    }
}

#[test]
fn a_binary_file_is_called_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\x7fELF\x02\x01\x01\x00\x00\x00<rule id=".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    write(dir.path(), "blob.xml", &bytes);
    let (code, out, err) = lint_in(dir.path(), &["blob.xml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("a binary file"), "{out}");
}

#[test]
fn a_baseline_reports_only_new_findings_and_its_obsolete_entries() {
    let dir = tempfile::tempdir().unwrap();
    let untagged = |id: u32| {
        format!("  <rule id=\"{id}\" level=\"5\">\n    <match>x</match>\n    <description>untagged {id}</description>\n  </rule>\n")
    };
    let file = write(
        dir.path(),
        "local_rules.xml",
        group(&[untagged(100100), untagged(100101)]).as_bytes(),
    );
    write(
        dir.path(),
        ".wazuh-mitre.yml",
        b"baseline: .wazuh-mitre-baseline.json\n",
    );
    // With the configuration (no --isolated): it names the baseline.
    let lint = |extra: &[&str]| {
        let mut args = vec!["lint", "--no-default-ruleset", "--format", "concise"];
        args.extend_from_slice(extra);
        args.push("local_rules.xml");
        run_in(dir.path(), &args)
    };
    // The configuration names a baseline that does not exist yet: a clear usage error.
    let (code, _, err) = lint(&[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".wazuh-mitre-baseline.json"), "{err}");
    let (code, _, err) = lint(&["--write-baseline"]);
    assert_eq!(code, 0, "{err}");
    let baseline: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join(".wazuh-mitre-baseline.json")).unwrap(),
    )
    .unwrap();
    let entries = baseline["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{baseline}");
    assert!(entries
        .iter()
        .all(|e| e["code"] == "WM001" && e["file"] == "local_rules.xml" && e["count"] == 1));
    // Nothing new: the run passes quietly.
    let (code, out, _) = lint(&[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("All checks passed"), "{out}");
    // A new finding is reported; an old one fixed leaves an obsolete entry, reported too.
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text
        .replace(
            "<description>untagged 100100</description>",
            "<description>untagged 100100</description>\n    <mitre><id>T1110</id></mitre>",
        )
        .replace("</group>", &format!("{}</group>", untagged(100102)));
    std::fs::write(&file, text).unwrap();
    let (_, out, _) = lint(&[]);
    let mut found = findings(&out);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("local_rules.xml".to_string(), "WM001".to_string()),
            ("local_rules.xml".to_string(), "WM003".to_string()),
        ],
        "{out}"
    );
    assert!(out.contains("rule 100100"), "{out}");
    // 100102 opens on line 11: the group's line, 100100's five (with its new <mitre>) and
    // 100101's four come before it.
    assert!(out.contains("local_rules.xml:11:3: WM001"), "{out}");
    // Written again, it is in sync.
    lint(&["--write-baseline"]);
    let (code, out, _) = lint(&[]);
    assert_eq!((code, findings(&out)), (0, vec![]), "{out}");
}

#[test]
fn options_that_would_do_nothing_are_refused_with_exit_2() {
    let example = "examples/local_rules.xml";
    for (args, says) in [
        (
            vec!["fix", "--min-confidence", "medium", example],
            "--add-tags",
        ),
        (vec!["fix", "--explain", example], "--add-tags"),
        (
            vec!["lint", "--config", "x.yml", "--isolated", example],
            "cannot be used with",
        ),
        (vec!["suggest", "--top", "0", example], "1 or more"),
        (
            vec!["suggest", "--min-score", "1.5", example],
            "outside 0-1",
        ),
        (vec!["suggest", "--min-score=-0.1", example], "outside 0-1"),
        (
            vec!["coverage", "--platform", "windoze", example],
            "Windows",
        ),
        (
            vec!["lint", "--format", "navigator", example],
            "possible values",
        ),
        (
            vec!["coverage", "--format", "sarif", example],
            "possible values",
        ),
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // A platform is matched without case, as ATT&CK spells it or not.
    let (code, _, err) = run(&["coverage", "--platform", "MACOS,linux", example]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn alerts_files_may_come_before_the_paths_one_per_flag() {
    let alerts = "tests/fixtures/coverage/alerts.json";
    let gz = "tests/fixtures/coverage/alerts.json.gz";
    let rules = "tests/fixtures/coverage/rules.xml";
    let report = run_json(
        &[
            "coverage",
            "--no-context",
            "--format",
            "json",
            "--alerts",
            alerts,
            "--alerts",
            gz,
            rules,
        ],
        0,
    );
    let one = run_json(
        &[
            "coverage",
            "--no-context",
            "--format",
            "json",
            rules,
            "--alerts",
            alerts,
        ],
        0,
    );
    // Two files read: twice the alerts of one (the .gz holds the same lines).
    let read = |r: &serde_json::Value| r["fired"]["alerts"].as_u64().unwrap();
    assert_eq!(read(&report), 2 * read(&one), "{report}");
}

#[test]
fn an_xml_declaration_is_removed_by_a_safe_fix_and_the_manager_then_reads_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let rules = group(&[rule(100100, None, "r")]);
    let text = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n{rules}");
    assert!(!crate::common::oracle::manager_reads(text.as_bytes()));
    let file = write(dir.path(), "local_rules.xml", text.as_bytes());
    let (code, out, _) = lint_in(dir.path(), &["local_rules.xml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("WM000 [*]"), "{out}");
    let (code, _, err) = fix_write(&file);
    assert_eq!(code, 0, "{err}");
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(after, rules);
    assert!(crate::common::oracle::manager_reads(after.as_bytes()));
}

#[test]
fn compare_names_every_rule_whose_tags_changed_even_where_coverage_did_not() {
    let dir = tempfile::tempdir().unwrap();
    let (before, after) = (dir.path().join("before"), dir.path().join("after"));
    std::fs::create_dir(&before).unwrap();
    std::fs::create_dir(&after).unwrap();
    let tagged = |id: u32, tag: &str| {
        format!("  <rule id=\"{id}\" level=\"5\">\n    <match>x{id}</match>\n    <description>r{id}</description>\n    <mitre><id>{tag}</id></mitre>\n  </rule>\n")
    };
    let untagged = "  <rule id=\"100101\" level=\"5\">\n    <match>y</match>\n    <description>r</description>\n  </rule>\n".to_string();
    // Before: 100100 covers T1110; 100101 has no tag; 100102 is tagged T1078.
    write(
        &before,
        "local_rules.xml",
        group(&[tagged(100100, "T1110"), untagged, tagged(100102, "T1078")]).as_bytes(),
    );
    // After: 100101 is tagged T1110 too (no technique gained), 100102 changed to T1110
    // (T1078 lost).
    write(
        &after,
        "local_rules.xml",
        group(&[
            tagged(100100, "T1110"),
            tagged(100101, "T1110"),
            tagged(100102, "T1110"),
        ])
        .as_bytes(),
    );
    let report = run_json(
        &[
            "coverage",
            "--only",
            "--isolated",
            "--format",
            "json",
            after.to_str().unwrap(),
            "--compare",
            before.to_str().unwrap(),
        ],
        0,
    );
    let compare = &report["compare"];
    assert_eq!(compare["gained"].as_array().unwrap().len(), 0, "{compare}");
    let lost: Vec<&str> = compare["lost"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["technique"].as_str().unwrap())
        .collect();
    assert_eq!(lost, ["T1078"], "{compare}");
    let changed: Vec<(u64, Vec<&str>, Vec<&str>)> = compare["rules_changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let ids = |k: &str| -> Vec<&str> {
                c[k].as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect()
            };
            (
                c["rule"]["rule_id"].as_u64().unwrap(),
                ids("added"),
                ids("removed"),
            )
        })
        .collect();
    assert_eq!(
        changed,
        vec![
            (100101, vec!["T1110"], vec![]),
            (100102, vec!["T1110"], vec!["T1078"]),
        ]
    );
    let (_, table, _) = run(&[
        "coverage",
        "--only",
        "--isolated",
        after.to_str().unwrap(),
        "--compare",
        before.to_str().unwrap(),
    ]);
    assert!(table.contains("T1078 -> T1110"), "{table}");
    assert!(
        table.contains("0 techniques gained, 1 lost; 2 rules whose tags changed"),
        "{table}"
    );
}

#[test]
fn every_suggestion_names_its_tactics_and_a_held_back_high_score_says_why() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let community = shared.join("corpus/community");
    let report = run_json(
        &[
            "suggest",
            "--all",
            "--isolated",
            "--format",
            "json",
            community.to_str().unwrap(),
        ],
        2, // the broken community files
    );
    let mut seen = 0;
    let mut held_back = 0;
    for rule in report["rules"].as_array().unwrap() {
        for s in rule["suggestions"].as_array().unwrap() {
            seen += 1;
            // Every ATT&CK technique stands under at least one tactic.
            assert!(
                !s["tactics"].as_array().unwrap().is_empty(),
                "{} has no tactics",
                s["technique"]
            );
            let score = s["score"].as_f64().unwrap();
            if s["confidence"] == "medium" && score >= 0.75 {
                held_back += 1;
                assert!(s["confidence_why"].is_string(), "{s}");
            }
        }
    }
    assert!(
        seen > 500 && held_back > 0,
        "{seen} suggestions, {held_back} held back"
    );
}

#[test]
fn attack_show_gives_the_description_and_takes_tactic_ids() {
    let (code, out, _) = run(&["attack", "show", "T1059"]);
    assert_eq!(code, 0);
    // ATT&CK 18.1's own first sentence of T1059.
    assert!(
        out.contains("Adversaries may abuse command and script interpreters to execute commands"),
        "{out}"
    );
    let (code, out, _) = run(&["attack", "show", "TA0005"]);
    assert_eq!(code, 0, "{out}");
    // 19.2 renamed Defense Evasion to Stealth (../shared/attack/SOURCE.md).
    assert!(out.starts_with("TA0005 Stealth"), "{out}");
    assert!(out.contains("13.1 Defense Evasion"), "{out}");
    let (code, _, err) = run(&["attack", "show", "TA0999"]);
    assert_eq!(code, 1);
    assert!(err.contains("not an ATT&CK Enterprise tactic"), "{err}");
}

#[test]
fn gaps_leave_out_what_no_log_can_see_and_keep_to_the_platform() {
    if crate::common::shared().is_none() {
        return;
    }
    // ATT&CK 13.1's detection text of each technique, read here: the PRE techniques whose
    // detection "will take place outside the visibility of the target organization".
    let outside: std::collections::BTreeSet<String> =
        crate::common::stix_techniques("enterprise-attack-13.1.json")
            .into_iter()
            .filter(|t| {
                t.detection
                    .contains("outside the visibility of the target organization")
            })
            .map(|t| t.id)
            .collect();
    assert!(outside.contains("T1590"), "{outside:?}");
    let report = run_json(
        &[
            "coverage",
            "--isolated",
            "--format",
            "json",
            "--gaps",
            "300",
            "examples/local_rules.xml",
        ],
        0,
    );
    let gaps: Vec<&str> = report["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    for g in &gaps {
        assert!(
            !outside.contains(*g),
            "{g} is a gap but ATT&CK says no log sees it"
        );
    }
    let apart: Vec<&str> = report["outside_view"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert!(apart.contains(&"T1590"), "{apart:?}");
    // Under --platform windows, no gap points at a Linux or macOS detection.
    let report = run_json(
        &[
            "coverage",
            "--isolated",
            "--format",
            "json",
            "--platform",
            "windows",
            "--gaps",
            "50",
            "examples/local_rules.xml",
        ],
        0,
    );
    let table: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("rules-db/detections/public-detections.json").unwrap(),
    )
    .unwrap();
    let logsource: std::collections::HashMap<&str, &str> = table["detections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["logsource"].as_str().unwrap()))
        .collect();
    let mut named = 0;
    for g in report["gaps"].as_array().unwrap() {
        for d in g["detections"].as_array().unwrap() {
            named += 1;
            let source = logsource[d["id"].as_str().unwrap()].to_ascii_lowercase();
            assert!(
                !source.starts_with("linux") && !source.starts_with("macos"),
                "{} ({source}) under --platform windows",
                d["title"]
            );
        }
    }
    assert!(named > 20, "{named}");
}

#[test]
fn coverage_text_is_whole_and_agrees_in_number() {
    let (code, table, _) = run(&["coverage", "--isolated", "examples/local_rules.xml"]);
    assert_eq!(code, 0);
    // Every tactic name of 19.2, whole, in the header rows (words may wrap, never cut).
    let header: String = table.lines().skip(3).take(2).collect::<Vec<_>>().join(" ");
    for word in [
        "Reconnaissance",
        "Development",
        "Exfiltration",
        "Impairment",
        "Escalation",
    ] {
        assert!(header.contains(word), "{word} cut: {header}");
    }
    for line in table.lines() {
        assert!(
            !line.contains(" 1 groups") && !line.contains(" 1 atomic tests"),
            "{line}"
        );
    }
    // The layer never cites line 0 of an embedded stock rule.
    let (_, layer, _) = run(&[
        "coverage",
        "--isolated",
        "--format",
        "navigator",
        "examples/local_rules.xml",
    ]);
    assert!(
        layer.contains("0015-ossec_rules.xml") || layer.contains("rules.xml"),
        "{layer}"
    );
    assert!(!layer.contains(":0)"), "a comment cites line 0");
}
