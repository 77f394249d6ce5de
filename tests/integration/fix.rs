//! `fix`: fixture pairs per fix kind (before.xml -> after.xml, options in `args`),
//! idempotence, the verification guard, and the bulk acceptance over copies of the corpora.

use crate::common::lint::{assert_snapshot, project};
use std::path::{Path, PathBuf};
use std::process::Command;
use wazuh_mitre::checks::registry::Selection;
use wazuh_mitre::config::Config;
use wazuh_mitre::project::Project;
use wazuh_mitre::rewrite::{plan, FixOptions};
use wazuh_mitre::ruleset::read::read_path;
use wazuh_mitre::ruleset::RuleFile;
use wazuh_mitre::suggest::Confidence;

fn options(args: &str) -> FixOptions {
    FixOptions {
        unsafe_fixes: args.contains("--unsafe-fixes"),
        add_tags: args.contains("--add-tags"),
        min_confidence: if args.contains("medium") {
            Confidence::Medium
        } else {
            Confidence::High
        },
        selection: Selection::default(),
        full_passes: false,
    }
}

fn fixed(path: &Path, opts: &FixOptions) -> (String, Project) {
    let mut p = project(&[path.to_path_buf()], &[], Config::default());
    let plan = plan(&mut p, opts);
    let text = plan.files.first().map_or_else(
        || std::fs::read_to_string(path).unwrap(),
        |f| f.after.clone(),
    );
    assert!(plan.refused.is_empty(), "{:?}", plan.refused);
    (text, p)
}

/// A fix pair: `before.xml` fixed with the flags of `args` gives `after.xml`; fixing again
/// changes nothing; nothing outside the `<mitre>` blocks moves.
fn fixture_pair(name: &str) {
    let dir = Path::new("tests/fixtures/fix").join(name);
    let args = std::fs::read_to_string(dir.join("args")).unwrap();
    let opts = options(&args);
    let before = dir.join("before.xml");
    let (after, _) = fixed(&before, &opts);
    assert_snapshot(&dir.join("after.xml"), &after);
    // Idempotent: fixing the fixed text changes nothing.
    let tmp = tempfile::tempdir().unwrap();
    let again = tmp.path().join("before.xml");
    std::fs::write(&again, &after).unwrap();
    let (twice, _) = fixed(&again, &opts);
    assert_eq!(
        twice,
        after,
        "{}: a second run changed the file",
        dir.display()
    );
    // Outside the <mitre> blocks, every byte is as it was (but an unused suppression
    // comment is itself what gets removed).
    if args.contains("touches-comments") {
        return;
    }
    assert_eq!(
        strip_mitre(&read_path(&before).unwrap()),
        strip_mitre(&read_path(&again).unwrap()),
        "{}",
        dir.display()
    );
}

/// One test per fix pair, so that one failing pair hides no other.
macro_rules! fixture_pairs {
    ($($test:ident => $name:literal,)*) => {
        mod pairs {
            $(#[test]
            fn $test() {
                super::fixture_pair($name);
            })*
        }

        #[test]
        fn every_fix_pair_has_a_test() {
            let listed = [$($name),*];
            let dirs = crate::common::subfolders("tests/fixtures/fix");
            assert!(dirs.len() >= 17);
            for dir in dirs {
                let name = dir.file_name().unwrap().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "add `{name}` to fixture_pairs!");
            }
        }
    };
}

fixture_pairs! {
    add_tags => "add-tags",
    add_tags_medium => "add-tags-medium",
    add_tags_named => "add-tags-named",
    bom => "bom",
    crlf => "crlf",
    deprecated => "deprecated",
    duplicate => "duplicate",
    empty_block => "empty-block",
    keeps_manager_id => "keeps-manager-id",
    multibyte => "multibyte",
    no_final_newline => "no-final-newline",
    normalise => "normalise",
    os_xml_dialect => "os-xml-dialect",
    redundant_parent => "redundant-parent",
    revoked => "revoked",
    stray_text => "stray-text",
    tabs => "tabs",
    tactic_in_id => "tactic-in-id",
    unused_suppression => "unused-suppression",
}

/// The file's bytes with every `<mitre>` block removed (with its line when alone on it).
fn strip_mitre(file: &RuleFile) -> String {
    let text = &file.source.text;
    let mut spans: Vec<(usize, usize)> = file
        .rules
        .iter()
        .flat_map(|r| &r.mitre)
        .map(|b| {
            let s = whole_line(text, b.span.start(), b.span.end());
            (s.0, s.1)
        })
        .collect();
    spans.sort();
    let mut out = String::new();
    let mut at = 0;
    for (s, e) in spans {
        out.push_str(&text[at..s]);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

fn whole_line(text: &str, start: usize, end: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let mut s = start;
    while s > 0 && (b[s - 1] == b' ' || b[s - 1] == b'\t') {
        s -= 1;
    }
    let mut e = end;
    while e < b.len() && (b[e] == b' ' || b[e] == b'\t') {
        e += 1;
    }
    let line_start = s == 0 || b[s - 1] == b'\n';
    if line_start && text[e..].starts_with("\r\n") {
        (s, e + 2)
    } else if line_start && text[e..].starts_with('\n') {
        (s, e + 1)
    } else {
        (start, end)
    }
}

#[test]
fn verification_refuses_changes_beyond_tags() {
    let path = Path::new("tests/fixtures/fix/revoked/before.xml");
    let file = read_path(path).unwrap();
    let db = wazuh_mitre::attack::AttackDb::embedded();
    let manager = db.version("13.1").unwrap();
    let changed = file.source.text.replace("^4720$", "^4721$");
    use wazuh_mitre::rewrite::verify::{verify, VerifyError};
    let err = verify(&file, changed, manager).unwrap_err();
    assert!(
        matches!(err, VerifyError::ChangedRule { id: Some(100001) }),
        "{err}"
    );
    assert_eq!(err.to_string(), "rule 100001 would change beyond its tags");
    let newer = file.source.text.replace("T1574.002", "T1685");
    let err = verify(&file, newer, manager).unwrap_err();
    assert!(
        err.to_string()
            .contains("T1685 that the manager's ATT&CK 13.1 does not know"),
        "{err}"
    );
    assert!(matches!(err, VerifyError::UnknownToManager { ref ids, .. } if ids == &["T1685"]));
    let broken = file.source.text.replace("</mitre>", "</mitr>");
    assert!(matches!(
        verify(&file, broken, manager),
        Err(VerifyError::Unreadable(_))
    ));
}

fn bin(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wazuh-mitre"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn cli_diff_writes_nothing_and_write_applies_the_same_change() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("local_rules.xml");
    std::fs::copy("tests/fixtures/fix/revoked/before.xml", &file).unwrap();
    let original = std::fs::read_to_string(&file).unwrap();
    let f = file.to_str().unwrap();
    let (code, diff, _) = bin(&["fix", "--no-default-ruleset", f]);
    assert_eq!(code, 1);
    assert!(diff.contains("\n-      <id>T1086</id>\n"), "{diff}");
    assert!(diff.contains("\n+      <id>T1059.001</id>\n"), "{diff}");
    assert!(diff.starts_with(&format!("--- {f}\n+++ {f}\n")), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original,
        "diff mode wrote"
    );
    let (code, out, err) = bin(&["fix", "--no-default-ruleset", "--write", f]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Fixed 1 file: 1 id replaced, 0 entries removed, 0 tags added."),
        "{out}"
    );
    let expected = std::fs::read_to_string("tests/fixtures/fix/revoked/after.xml").unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
    let (code, diff, _) = bin(&["fix", "--no-default-ruleset", f]);
    assert_eq!((code, diff.as_str()), (0, ""));
    // No temporary file is left beside it.
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// The acceptance over copies of the stock and community rulesets.
#[test]
fn bulk_fix_over_the_corpora() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for (name, src) in [
        ("stock", "corpus/wazuh-4.14.7/rules"),
        ("community", "corpus/community"),
    ] {
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        copy_tree(&shared.join(src), &dir);
        let d = dir.to_str().unwrap();
        let before: Vec<(PathBuf, Result<RuleFile, _>)> =
            wazuh_mitre::ruleset::discover::expand_paths(std::slice::from_ref(&dir))
                .unwrap()
                .into_iter()
                .map(|p| (p.clone(), read_path(&p)))
                .collect();
        let args = [
            "fix",
            "--no-default-ruleset",
            "--write",
            "--unsafe-fixes",
            "--add-tags",
            "--min-confidence",
            "medium",
            d,
        ];
        let (code, out, err) = bin(&args);
        assert!(out.starts_with("Fixed "), "{out}{err}");
        // The community folder holds broken files: exit 2, and they are left as they were.
        assert_eq!(code, if name == "community" { 2 } else { 0 }, "{err}");
        let mut changed = 0;
        for (path, old) in &before {
            let new = read_path(path);
            match (old, new) {
                // (a) every file still reads, and (b) only the <mitre> blocks changed.
                (Ok(old), Ok(new)) => {
                    assert_eq!(strip_mitre(old), strip_mitre(&new), "{}", path.display());
                    changed += (old.source.text != new.source.text) as usize;
                }
                (Err(_), Err(_)) => {}
                (Ok(_), Err(e)) => {
                    panic!("{} no longer reads: {}", path.display(), e.error)
                }
                (Err(_), Ok(_)) => panic!("{} was broken and was rewritten", path.display()),
            }
        }
        assert!(changed > 0, "{name}: nothing changed");
        // (c) a second run changes nothing.
        let (_, diff_out, _) = bin(&[
            "fix",
            "--no-default-ruleset",
            "--unsafe-fixes",
            "--add-tags",
            "--min-confidence",
            "medium",
            d,
        ]);
        assert_eq!(
            diff_out, "",
            "{name}: a second run would change:\n{diff_out}"
        );
        // (d) no malformed or duplicate id, and no revoked id that has a fix.
        let (_, lint_out, _) = bin(&[
            "lint",
            "--no-default-ruleset",
            "--format",
            "concise",
            "--select",
            "WM101,WM107,WM104",
            d,
        ]);
        for line in lint_out
            .lines()
            .filter(|l| l.contains(": WM") && !l.contains(": WM000 "))
        {
            assert!(
                line.contains(": WM104 ") && !line.contains("[*]"),
                "{name}: {line}"
            );
        }
    }
}

/// A pass keeps the load order's replay, and without the suggester a pass after the first
/// lints only the files the pass before had fixes for (a fix changes nothing but `<mitre>`
/// blocks and comments, and no check reads another file's). The plan must be the one full
/// passes (replay, every file linted) give: the stock ruleset
/// needs three passes (replaced ids make duplicate entries that the next pass removes), the
/// community rulesets and every fixture, with safe and with selected fixes.
#[test]
fn later_passes_keep_the_replay_lint_only_fixed_files_and_plan_the_same() {
    let Some(mut inputs) = crate::common::real_rulesets() else {
        return;
    };
    inputs.push(PathBuf::from("tests/fixtures"));
    let mut fixed_files = 0;
    for input in &inputs {
        for select in [None, Some("WM1")] {
            let selection = Selection {
                select: select.map(str::to_string).into_iter().collect(),
                ignore: Vec::new(),
            };
            let run = |full_passes: bool| {
                let mut p = project(std::slice::from_ref(input), &[], Config::default());
                let opts = FixOptions {
                    selection: selection.clone(),
                    full_passes,
                    ..FixOptions::default()
                };
                format!("{:?}", plan(&mut p, &opts))
            };
            let (short, long) = (run(false), run(true));
            // Not assert_eq!: a plan holds every changed file's text twice.
            assert!(
                short == long,
                "{} {select:?}: the plans differ",
                input.display()
            );
            fixed_files += short.matches("FixedFile {").count();
        }
    }
    assert!(fixed_files > 10, "{fixed_files} files fixed");
}
