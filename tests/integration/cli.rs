//! The binary as users run it: exit statuses, formats, configuration errors.

use crate::common::lint::{assert_snapshot, project, render};
use std::path::{Path, PathBuf};
use wazuh_mitre::checks::registry::Selection;
use wazuh_mitre::config::Config;
use wazuh_mitre::report::Format;

use crate::common::cli::{lint_concise, run, run_json};

#[test]
fn example_output_snapshots() {
    let example = PathBuf::from("examples/local_rules.xml");
    let p = project(&[example], &[], Config::default());
    let diags = p.lint(&Selection::default(), None);
    assert_snapshot(
        Path::new("tests/snapshots/example.human.txt"),
        &render(&p, &diags, Format::Human),
    );
    assert_snapshot(
        Path::new("tests/snapshots/example.json"),
        &render(&p, &diags, Format::Json),
    );
    assert_snapshot(
        Path::new("tests/snapshots/example.sarif.json"),
        &render(&p, &diags, Format::Sarif),
    );
    assert_snapshot(
        Path::new("tests/snapshots/example.github.txt"),
        &render(&p, &diags, Format::Github),
    );
    assert_snapshot(
        Path::new("tests/snapshots/example.junit.xml"),
        &render(&p, &diags, Format::Junit),
    );
}

#[test]
fn json_follows_the_contract() {
    let v = run_json(
        &[
            "lint",
            "--no-default-ruleset",
            "--format",
            "json",
            "examples/local_rules.xml",
        ],
        1,
    );
    assert_eq!(v["version"], 1);
    assert_eq!(v["attack_version"], "19.2");
    let d = &v["diagnostics"][0];
    for key in [
        "code",
        "name",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "rule_id",
        "message",
        "fix",
    ] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
    let s = &v["summary"];
    assert_eq!(s["files"], 1);
    assert_eq!(s["rules"], 29);
    let errors = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(s["errors"], errors);
}

#[test]
fn sarif_has_what_code_scanning_needs() {
    let (_, out, _) = run(&[
        "lint",
        "--no-default-ruleset",
        "--format",
        "sarif",
        "examples/local_rules.xml",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "wazuh-mitre");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in run["results"].as_array().unwrap() {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
    }
}

/// (errors, warnings) from the concise summary line of the same run.
fn summary_counts(extra: &[&str]) -> (usize, usize) {
    let mut args = vec!["lint", "--no-default-ruleset", "--format", "concise"];
    args.extend_from_slice(extra);
    args.push("examples/local_rules.xml");
    let (_, out, _) = run(&args);
    let line = out
        .lines()
        .find(|l| l.starts_with("Found "))
        .unwrap()
        .to_string();
    let n = |word: &str| -> usize {
        let before = &line[..line.find(word).unwrap()];
        before
            .trim_end()
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    (n(" error"), n(" warning"))
}

#[test]
fn junit_is_well_formed_and_fails_only_at_the_fail_level() {
    let (errors, warnings) = summary_counts(&[]);
    assert!(errors > 0 && warnings > 0);
    for (fail_on, expected) in [("error", errors), ("warning", errors + warnings)] {
        let (code, out, _) = run(&[
            "lint",
            "--no-default-ruleset",
            "--format",
            "junit",
            "--fail-on",
            fail_on,
            "examples/local_rules.xml",
        ]);
        assert_eq!(code, 1);
        let doc = roxmltree::Document::parse(&out).unwrap();
        let failures: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert_eq!(failures.len(), expected, "--fail-on {fail_on}");
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(
            suite.attribute("failures"),
            Some(expected.to_string().as_str())
        );
        assert!(failures
            .iter()
            .any(|f| f.attribute("message").unwrap().contains("ATT&CK")));
    }
}

#[test]
fn exit_statuses() {
    let clean = "tests/fixtures/checks/missing-technique/ok.xml";
    assert_eq!(
        run(&["lint", "--no-default-ruleset", "--no-context", clean]).0,
        0
    );
    // Warnings only: 0 by default, 1 with --fail-on warning.
    let warn = "tests/fixtures/checks/missing-technique/hit.xml";
    assert_eq!(
        run(&["lint", "--no-default-ruleset", "--no-context", warn]).0,
        0
    );
    assert_eq!(
        run(&[
            "lint",
            "--no-default-ruleset",
            "--no-context",
            "--fail-on",
            "warning",
            warn
        ])
        .0,
        1
    );
    // Usage errors: 2.
    assert_eq!(
        run(&[
            "lint",
            "--no-default-ruleset",
            "--no-context",
            "no/such/file.xml"
        ])
        .0,
        2
    );
    assert_eq!(
        run(&[
            "lint",
            "--no-default-ruleset",
            "--no-context",
            "--select",
            "WM999",
            clean
        ])
        .0,
        2
    );
    assert_eq!(
        run(&[
            "lint",
            "--no-default-ruleset",
            "--no-context",
            "--attack-version",
            "7.0",
            clean
        ])
        .0,
        2
    );
}

#[test]
fn a_broken_file_exits_2_and_the_others_are_still_linted() {
    let broken = "tests/fixtures/checks/unreadable-file/hit.xml";
    let other = "tests/fixtures/checks/unknown-technique/hit.xml";
    let (code, out, _) = lint_concise(&[broken, other]);
    assert_eq!(code, 2);
    assert!(
        out.contains("unreadable-file/hit.xml:11:24: WM000"),
        "{out}"
    );
    assert!(
        out.contains("unknown-technique/hit.xml:7:11: WM103"),
        "{out}"
    );
}

#[test]
fn configuration_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join(".wazuh-mitre.yml");
    std::fs::write(&cfg, "select: [WM1]\nseverity:\n  no-such-check: error\n").unwrap();
    let (code, _, err) = run(&[
        "lint",
        "--no-default-ruleset",
        "--config",
        cfg.to_str().unwrap(),
        "examples/local_rules.xml",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains(".wazuh-mitre.yml:3:"), "{err}");
    assert!(err.contains("no-such-check"), "{err}");
}

#[test]
fn configuration_changes_what_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.yml");
    std::fs::write(
        &cfg,
        "ignore: [missing-technique]\nseverity: {revoked-technique: error}\n",
    )
    .unwrap();
    let (_, out, _) = lint_concise(&[
        "--config",
        cfg.to_str().unwrap(),
        "examples/local_rules.xml",
    ]);
    assert!(!out.contains("WM001"), "{out}");
    assert!(out.contains("WM104 [*] `T1086` (PowerShell) is revoked in ATT&CK 19.2: T1086 -> T1059.001 PowerShell [error]"), "{out}");
}

#[test]
fn attack_subcommand() {
    let (code, out, _) = run(&["attack", "show", "T1086"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("revoked: T1086 -> T1059.001 PowerShell"),
        "{out}"
    );
    assert!(out.contains("TA0002 Execution"), "{out}");
    let (code, _, err) = run(&["attack", "show", "T1999"]);
    assert_eq!(code, 1);
    assert!(err.contains("not an ATT&CK Enterprise technique"), "{err}");
    let v = run_json(&["attack", "show", "T1086", "--format", "json"], 0);
    assert_eq!(v["current"]["id"], "T1059.001");
    let (_, out, _) = run(&["attack", "versions"]);
    assert!(out.lines().last().unwrap().starts_with("19.2"), "{out}");
    assert!(out.contains("default"));
    let (_, out, _) = run(&["attack", "search", "kerberos ticket", "--limit", "5"]);
    assert!(out.contains("T1558"), "{out}");
    let (code, _, err) = run(&["attack", "--attack-data", "Cargo.toml", "versions"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a STIX bundle"), "{err}");
}

#[test]
fn attack_data_loads_a_newer_bundle() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let bundle = shared.join("attack/enterprise-attack-18.1.json");
    let (code, out, _) = run(&[
        "attack",
        "--attack-data",
        bundle.to_str().unwrap(),
        "versions",
    ]);
    assert_eq!(code, 0);
    // 18.1 replaces the embedded copy and becomes the newest (default) version.
    assert!(out.lines().last().unwrap().starts_with("18.1"), "{out}");
}

#[test]
fn rules_lists_every_check() {
    let (code, out, _) = run(&["rules"]);
    assert_eq!(code, 0);
    for name in [
        "missing-technique",
        "revoked-technique",
        "unknown-parent-group",
        "unused-suppression",
    ] {
        assert!(out.contains(name), "{out}");
    }
}
