//! `wazuh-mitre server` driven over stdio as an editor drives it. Expected findings come
//! from `lint --format json` on the same file (the command the server must agree with),
//! expected fixed bytes from `fix --write` on a copy.

use crate::common::lsp::{apply, uri, Client};
use serde_json::{json, Value};
use std::path::Path;

/// A rule with a revoked id (a safe fix) and one with a parent defined nowhere.
const RULES: &str = r#"<group name="local,">
  <rule id="100001" level="8">
    <if_sid>60103</if_sid>
    <field name="win.system.eventID">^4720$</field>
    <description>A user account was created</description>
    <mitre>
      <id>T1086</id>
    </mitre>
  </rule>
  <rule id="100002" level="5">
    <if_sid>999999</if_sid>
    <description>Child of nothing</description>
    <mitre>
      <id>T1059</id>
    </mitre>
  </rule>
</group>
"#;

fn open(client: &mut Client, path: &Path, text: &str) -> Vec<Value> {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(path), "languageId": "xml", "version": 1, "text": text}}),
    );
    client.diagnostics(&uri(path))
}

/// (code, 0-based line) of each finding `lint` reports on `path`.
fn lint_findings(path: &Path) -> Vec<(String, u64)> {
    let (_, out, err) =
        crate::common::cli::run(&["lint", "--format", "json", path.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let mut found: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    found.sort();
    found
}

fn codes_and_lines(diagnostics: &[Value]) -> Vec<(String, u64)> {
    let mut found: Vec<(String, u64)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn an_editor_session_from_open_to_exit() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::write(dir.path(), "local_rules.xml", RULES.as_bytes());
    let mut client = Client::start();

    // Diagnostics on open: lint's findings, at lint's lines.
    let diagnostics = open(&mut client, &path, RULES);
    let expected = lint_findings(&path);
    assert_eq!(codes_and_lines(&diagnostics), expected);
    let codes: Vec<&str> = expected.iter().map(|(c, _)| c.as_str()).collect();
    assert!(
        codes.contains(&"WM104") && codes.contains(&"WM204"),
        "{codes:?}"
    );
    let revoked = diagnostics.iter().find(|d| d["code"] == "WM104").unwrap();
    // The range is the id itself: line 6 (0-based), `T1086` after `<id>`.
    let line = RULES.lines().nth(6).unwrap();
    let col = line.find("T1086").unwrap() as u64;
    assert_eq!(
        revoked["range"]["start"],
        json!({"line": 6, "character": col})
    );
    assert_eq!(
        revoked["range"]["end"],
        json!({"line": 6, "character": col + 5})
    );
    assert!(revoked["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("docs/rules.md#revoked-technique"));

    // The safe fix as a code action, applied: the bytes `fix --write` writes.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&path)}, "range": revoked["range"], "context": {"diagnostics": [revoked]}}),
    );
    let preferred: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1, "{actions}");
    let edits = preferred[0]["edit"]["changes"][uri(&path)]
        .as_array()
        .unwrap()
        .clone();
    let fixed_in_editor = apply(RULES, &edits);
    let copy_dir = tempfile::tempdir().unwrap();
    let copy = crate::common::write(copy_dir.path(), "local_rules.xml", RULES.as_bytes());
    let (code, _, err) = crate::common::cli::run(&["fix", "--write", copy.to_str().unwrap()]);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(fixed_in_editor, std::fs::read_to_string(&copy).unwrap());
    assert!(fixed_in_editor.contains("<id>T1059.001</id>"));

    // Hover on an id.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&path)}, "position": {"line": 13, "character": 12}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("T1059 Command and Scripting Interpreter"),
        "{shown}"
    );
    assert!(shown.contains("ATT&CK 13.1: active"), "{shown}");

    // Completion after `<id>T105`.
    let typed = RULES.replace("<id>T1059</id>", "<id>T105");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&path), "version": 2}, "contentChanges": [{"text": typed}]}),
    );
    client.diagnostics(&uri(&path));
    let line = typed.lines().nth(13).unwrap();
    let at = line.find("T105").unwrap() + 4;
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri(&path)}, "position": {"line": 13, "character": at}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.len() >= 3, "{labels:?}");
    assert!(labels.iter().all(|l| l.starts_with("T105")), "{labels:?}");
    assert!(labels.contains(&"T1059.001"));

    // A change that brings a bad id: a new finding, the one lint gives that text.
    let bad = RULES.replace("<id>T1059</id>", "<id>T9999</id>");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&path), "version": 3}, "contentChanges": [{"text": bad}]}),
    );
    let diagnostics = client.diagnostics(&uri(&path));
    std::fs::write(&copy, &bad).unwrap();
    assert_eq!(codes_and_lines(&diagnostics), lint_findings(&copy));
    assert!(
        diagnostics
            .iter()
            .any(|d| d["range"]["start"]["line"] == 13),
        "{diagnostics:?}"
    );

    // A file the manager refuses: one diagnostic at its line; the server goes on.
    let broken_path = dir.path().join("broken_rules.xml");
    std::fs::write(
        &broken_path,
        "<group name=\"x,\">\n  <rule id=\"100100\" level=\"3\">\n</group>\n",
    )
    .unwrap();
    let broken = std::fs::read_to_string(&broken_path).unwrap();
    let diagnostics = open(&mut client, &broken_path, &broken);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "WM000");
    assert_eq!(diagnostics[0]["severity"], 1);
    let expected_line = lint_findings(&broken_path)[0].1;
    assert_eq!(diagnostics[0]["range"]["start"]["line"], expected_line);
    // An unknown request is an error answer, not a crash; the next request is answered.
    let unknown = client.request_raw("textDocument/formatting", json!({}));
    assert!(unknown["error"].is_object(), "{unknown}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&path)}, "position": {"line": 0, "character": 0}}),
    );
    assert!(hover.is_null());

    assert_eq!(client.stop(), Some(0));
}

/// An untagged rule gets the suggester's first techniques as code actions, each inserting
/// the block `fix --add-tags` would insert for that technique.
#[test]
fn an_untagged_rule_is_offered_its_suggested_techniques() {
    let text = r#"<group name="windows,">
  <rule id="100010" level="8">
    <if_sid>60103</if_sid>
    <field name="win.system.eventID">^4720$</field>
    <description>A user account was created</description>
  </rule>
</group>
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::write(dir.path(), "local_rules.xml", text.as_bytes());
    let mut client = Client::start();
    open(&mut client, &path, text);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&path)}, "range": {"start": {"line": 4, "character": 5}, "end": {"line": 4, "character": 5}}, "context": {"diagnostics": []}}),
    );
    let adds: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["title"].as_str().unwrap().starts_with("Add T"))
        .collect();
    assert!(!adds.is_empty() && adds.len() <= 3, "{actions}");
    // The first is what `suggest` ranks first, and applying it gives what
    // `fix --add-tags --write` writes when that technique is the one chosen.
    let s =
        crate::common::cli::run_json(&["suggest", "--format", "json", path.to_str().unwrap()], 0);
    let top = s["rules"][0]["suggestions"][0]["technique"]
        .as_str()
        .unwrap();
    assert!(
        adds[0]["title"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Add {top} ")),
        "{adds:?}"
    );
    let edits = adds[0]["edit"]["changes"][uri(&path)].as_array().unwrap();
    let added = apply(text, edits);
    let (code, _, err) = crate::common::cli::run(&[
        "fix",
        "--write",
        "--add-tags",
        "--min-confidence",
        "medium",
        path.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let written = std::fs::read_to_string(&path).unwrap();
    if written.matches("<id>").count() == 1 {
        assert_eq!(added, written);
    }
    assert!(added.contains(&format!("<id>{top}</id>")));
    assert_eq!(client.stop(), Some(0));
}

/// A real editor: Debian's Neovim, headless, with the server attached through its own LSP
/// client (`tests/editors/neovim.lua`). `.ci/run` installs Neovim and then requires it;
/// elsewhere, without Neovim, the test says so and passes.
#[test]
fn neovim_shows_the_diagnostics_and_a_hover() {
    let found = std::process::Command::new("nvim").arg("--version").output();
    if found.as_ref().map_or(true, |o| !o.status.success()) {
        assert!(
            std::env::var_os("WAZUH_MITRE_REQUIRE_NEOVIM").is_none(),
            "nvim is not installed (.ci/run installs it)"
        );
        eprintln!("skipped: nvim is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::write(dir.path(), "local_rules.xml", RULES.as_bytes());
    let out = dir.path().join("neovim.json");
    let script = crate::common::repo().join("tests/editors/neovim.lua");
    let globals = format!(
        "lua wm_bin={:?}; wm_file={:?}; wm_out={:?}; wm_hover_line=7; wm_hover_id='T1086'",
        env!("CARGO_BIN_EXE_wazuh-mitre"),
        path.to_str().unwrap(),
        out.to_str().unwrap()
    );
    let status = std::process::Command::new("timeout")
        .args(["120", "nvim", "--headless", "--clean", "-c", &globals, "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("HOME", dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "{status}");
    let got: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(got["attached"], true, "{got}");
    // What Neovim holds is what lint reports: codes and 0-based lines.
    let mut held: Vec<(String, u64)> = got["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    held.sort();
    assert_eq!(held, lint_findings(&path));
    let hover = got["hover"][0].as_str().unwrap_or_default();
    assert!(
        hover.contains("T1086 PowerShell (revoked in ATT&CK 19.2)"),
        "{got}"
    );
    assert!(hover.contains("T1059.001"), "{hover}");
}

/// A duplicate id points at the rule loaded first, in the other file of the folder.
#[test]
fn a_duplicate_id_points_at_the_rule_loaded_first() {
    let dir = tempfile::tempdir().unwrap();
    let first = "<group name=\"a,\">\n  <rule id=\"100300\" level=\"3\">\n    <match>x</match>\n    <description>First</description>\n  </rule>\n</group>\n";
    crate::common::write(dir.path(), "a_rules.xml", first.as_bytes());
    let second = first.replace("First", "Second");
    let path = crate::common::write(dir.path(), "b_rules.xml", second.as_bytes());
    let mut client = Client::start();
    let diagnostics = open(&mut client, &path, &second);
    let duplicate = diagnostics
        .iter()
        .find(|d| d["code"] == "WM201")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    let related = &duplicate["relatedInformation"][0]["location"];
    assert!(
        related["uri"].as_str().unwrap().ends_with("/a_rules.xml"),
        "{duplicate}"
    );
    assert_eq!(related["range"]["start"]["line"], 1, "{duplicate}");
    assert_eq!(client.stop(), Some(0));
}

/// Hover says where an id stands in the manager's ATT&CK as the configuration names it.
#[test]
fn hover_uses_the_configured_manager_version() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::write(dir.path(), ".wazuh-mitre.yml", b"manager-attack: \"9.0\"\n");
    // T1649 (Steal or Forge Authentication Certificates) came after ATT&CK 9.0.
    let text = RULES.replace("<id>T1059</id>", "<id>T1649</id>");
    let path = crate::common::write(dir.path(), "local_rules.xml", text.as_bytes());
    let mut client = Client::start();
    open(&mut client, &path, &text);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&path)}, "position": {"line": 13, "character": 12}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("T1649"), "{shown}");
    assert!(shown.contains("ATT&CK 9.0: unknown there"), "{shown}");
    assert_eq!(client.stop(), Some(0));
}
