//! Pull-request review formats: rdjson/rdjsonl validate against reviewdog's schemas, SARIF
//! with fixes against the OASIS schema (both in ../shared/formats), and applying every
//! suggestion of `fix --format rdjson` to the original bytes gives exactly the file
//! `fix --write` writes with the same flags: one code path.

use crate::common::cli::run;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn schema(path: &str) -> Option<jsonschema::Validator> {
    let shared = crate::common::shared()?;
    let v: Value =
        serde_json::from_slice(&std::fs::read(shared.join("formats").join(path)).unwrap()).unwrap();
    Some(jsonschema::validator_for(&v).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn assert_valid(validator: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not validate:\n{}",
        errors.join("\n")
    );
}

#[test]
fn rdjson_and_rdjsonl_validate_against_reviewdogs_schemas() {
    let Some(result) = schema("reviewdog-rdformat/jsonschema/DiagnosticResult.json") else {
        return;
    };
    let diagnostic = schema("reviewdog-rdformat/jsonschema/Diagnostic.json").unwrap();
    for cmd in [
        vec!["lint", "--no-default-ruleset", "examples/local_rules.xml"],
        vec![
            "fix",
            "--no-default-ruleset",
            "--unsafe-fixes",
            "--add-tags",
            "examples/local_rules.xml",
        ],
    ] {
        let (_, out, err) = run(&[cmd.clone(), vec!["--format", "rdjson"]].concat());
        let doc: Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{cmd:?}: {e}: {err}"));
        assert!(doc["diagnostics"].as_array().unwrap().len() > 5, "{cmd:?}");
        assert_valid(&result, &doc, &format!("{cmd:?} rdjson"));
        let (_, out, _) = run(&[cmd.clone(), vec!["--format", "rdjsonl"]].concat());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), doc["diagnostics"].as_array().unwrap().len());
        for line in lines {
            assert_valid(
                &diagnostic,
                &serde_json::from_str(line).unwrap(),
                &format!("{cmd:?} rdjsonl line"),
            );
        }
    }
}

#[test]
fn sarif_with_fixes_validates_against_the_oasis_schema() {
    let Some(sarif) = schema("sarif-2.1.0/sarif-schema-2.1.0.json") else {
        return;
    };
    let (_, out, _) = run(&[
        "lint",
        "--no-default-ruleset",
        "--format",
        "sarif",
        "examples/local_rules.xml",
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_valid(&sarif, &doc, "SARIF");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let with_fix: Vec<&Value> = results.iter().filter(|r| r["fixes"].is_array()).collect();
    assert!(
        with_fix.len() >= 4,
        "safe and unsafe fixes carry SARIF fixes"
    );
    let r = &with_fix[0]["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert!(r["deletedRegion"]["startLine"].is_u64() && r["insertedContent"]["text"].is_string());
}

/// The byte offset of an rdformat position (1-based line, 1-based UTF-8 byte column).
fn offset(text: &[u8], pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let start: usize = text
        .split_inclusive(|&b| b == b'\n')
        .take(line - 1)
        .map(<[u8]>::len)
        .sum();
    start + pos["column"].as_u64().unwrap() as usize - 1
}

/// Applies every suggestion (ranges in the original) from the end backwards.
fn apply(original: &[u8], doc: &Value) -> Vec<u8> {
    let mut edits: Vec<(usize, usize, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["suggestions"].as_array().cloned().unwrap_or_default())
        .map(|s| {
            (
                offset(original, &s["range"]["start"]),
                offset(original, &s["range"]["end"]),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = original.to_vec();
    for (a, b, text) in edits {
        out.splice(a..b, text.bytes());
    }
    out
}

fn fixture_dirs() -> Vec<PathBuf> {
    crate::common::subfolders("tests/fixtures/fix")
}

fn flags(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args"))
        .unwrap()
        .split_whitespace()
        .filter(|a| *a != "touches-comments")
        .map(String::from)
        .collect()
}

#[test]
fn applying_every_rdjson_suggestion_gives_what_fix_write_writes() {
    let mut kinds = std::collections::BTreeSet::new();
    for dir in fixture_dirs() {
        let original = std::fs::read(dir.join("before.xml")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("local_rules.xml");
        std::fs::write(&path, &original).unwrap();
        let flags = flags(&dir);
        let mut args: Vec<&str> = vec!["fix", "--no-default-ruleset", "--format", "rdjson"];
        args.extend(flags.iter().map(String::as_str));
        args.push(path.to_str().unwrap());
        let (_, out, err) = run(&args);
        let doc: Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{}: {e}: {err}", dir.display()));
        let suggested = apply(&original, &doc);
        let mut write: Vec<&str> = vec!["fix", "--no-default-ruleset", "--write"];
        write.extend(flags.iter().map(String::as_str));
        write.push(path.to_str().unwrap());
        run(&write);
        let written = std::fs::read(&path).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&suggested),
            String::from_utf8_lossy(&written),
            "{}",
            dir.display()
        );
        assert_eq!(
            written,
            std::fs::read(dir.join("after.xml")).unwrap(),
            "{}",
            dir.display()
        );
        if suggested != original {
            kinds.insert(if flags.iter().any(|f| f == "--add-tags") {
                "add-tags"
            } else if flags.iter().any(|f| f == "--unsafe-fixes") {
                "unsafe"
            } else {
                "safe"
            });
        }
    }
    // Safe fixes, unsafe fixes and added tags were all exercised, on CRLF, tabs, a BOM and
    // multi-byte text before the edits (fixtures crlf, tabs, bom, multibyte).
    assert_eq!(kinds.len(), 3, "{kinds:?}");
}

#[test]
fn an_added_tag_is_a_suggestion_on_its_rule_with_techniques_confidence_and_reasons() {
    let (_, out, _) = run(&[
        "fix",
        "--no-default-ruleset",
        "--add-tags",
        "--format",
        "rdjson",
        "tests/fixtures/fix/multibyte/before.xml",
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"]["value"] == "add-tags")
        .unwrap();
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("T1136.001") && msg.contains("high") && msg.contains("hint:"),
        "{msg}"
    );
    // Inserted right after <description> of rule 100301 (line 6), at the start of line 7.
    assert_eq!(
        d["suggestions"][0]["range"]["start"],
        serde_json::json!({"line": 7, "column": 1})
    );
    assert_eq!(
        d["suggestions"][0]["range"]["start"],
        d["suggestions"][0]["range"]["end"]
    );
}

#[test]
fn markdown_comments_for_suggest_and_fix() {
    let (_, md, _) = run(&[
        "suggest",
        "--no-default-ruleset",
        "--format",
        "markdown",
        "tests/fixtures/fix/multibyte/before.xml",
    ]);
    assert!(
        md.contains("| rule | suggested techniques | confidence |"),
        "{md}"
    );
    assert!(
        md.contains("`T1136.001`") && md.contains("<details>"),
        "{md}"
    );
    let (_, md, _) = run(&[
        "fix",
        "--no-default-ruleset",
        "--add-tags",
        "--format",
        "markdown",
        "tests/fixtures/fix/multibyte/before.xml",
    ]);
    assert!(
        md.contains("add-tags: add T1136.001") && md.contains("<details>"),
        "{md}"
    );
}
