//! `lint` over the real rulesets: exactly the real ATT&CK findings, computed here from the
//! ATT&CK data and the files, not pasted from an earlier run.

use crate::common::lint::{project, select};
use regex::Regex;
use std::collections::BTreeSet;
use std::path::PathBuf;
use wazuh_mitre::attack::model::Status;
use wazuh_mitre::attack::AttackDb;
use wazuh_mitre::checks::registry::Selection;
use wazuh_mitre::checks::{Applicability, Severity};
use wazuh_mitre::config::Config;
use wazuh_mitre::ruleset::{MitreEntryKind, RuleFile, Span};

type Found = BTreeSet<(String, usize, String)>;

/// A finding's identity: file name, byte offset, and the text it points at.
fn key(file: &RuleFile, span: Span) -> (String, usize, String) {
    let name = file
        .source
        .path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    (
        name,
        span.start(),
        span.slice(&file.source.text).trim().to_string(),
    )
}

fn no_custom_range() -> Config {
    Config {
        custom_range: Some(None),
        ..Config::default()
    }
}

#[test]
fn stock_ruleset_gives_exactly_the_real_attack_findings() {
    let Some(dir) = crate::common::stock_rules() else {
        return;
    };
    let p = project(std::slice::from_ref(&dir), &[], no_custom_range());
    let all = Selection::default();
    let diags = p.lint(&all, None);

    // No error that is not one of the real ATT&CK problems listed below.
    let error_codes: BTreeSet<&str> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code())
        .collect();
    assert_eq!(error_codes, BTreeSet::from(["WM101", "WM102"]));

    let key_of = |d: &wazuh_mitre::checks::Diagnostic| key(&p.ws.files[d.file].file, d.span);
    let found = |code: &str| -> Found {
        diags
            .iter()
            .filter(|d| d.code() == code)
            .map(key_of)
            .collect()
    };

    // Expected lists, computed from the files and the ATT&CK data.
    let db = AttackDb::embedded();
    let (v19, v13) = (db.version("19.2").unwrap(), db.version("13.1").unwrap());
    let technique = Regex::new(r"^T\d{4}(\.\d{3})?$").unwrap();
    let tactic = Regex::new(r"^TA\d{4}$").unwrap();
    let mut invalid = Found::new();
    let mut tactics = Found::new();
    let mut placeholders = Found::new();
    let mut revoked_fixable = Found::new();
    let mut revoked_info = Found::new();
    let mut unknown = Found::new();
    let mut unknown_to_manager = Found::new();
    let mut deprecated = Found::new();
    for lf in &p.ws.files {
        let f = &lf.file;
        for e in f
            .rules
            .iter()
            .flat_map(|r| &r.mitre)
            .flat_map(|b| &b.entries)
        {
            let key = |s| key(f, s);
            if e.kind == MitreEntryKind::StrayText {
                invalid.insert(key(e.span));
                continue;
            }
            let v = e.value.as_str();
            if v.contains("$(") {
                placeholders.insert(key(e.value_span));
            } else if tactic.is_match(v) {
                tactics.insert(key(e.value_span));
            } else if !technique.is_match(v) {
                invalid.insert(key(e.value_span));
            } else {
                match v19.technique(v).map(|t| t.status) {
                    None if v13.technique(v).is_none() => {
                        unknown.insert(key(e.value_span));
                    }
                    Some(Status::Revoked) => {
                        // Safe only where the manager shows nothing for the old id today
                        // and the new one under its newest name.
                        let current = v19.resolve(v).unwrap().current().unwrap();
                        let same_meaning = v13
                            .technique(&current.id)
                            .is_some_and(|t| v13.is_active(&t.id) && t.name == current.name);
                        if !v13.is_active(v) && same_meaning {
                            revoked_fixable.insert(key(e.value_span));
                        } else {
                            revoked_info.insert(key(e.value_span));
                        }
                    }
                    Some(Status::Deprecated) => {
                        deprecated.insert(key(e.value_span));
                    }
                    Some(Status::Active) if !v13.is_active(v) => {
                        unknown_to_manager.insert(key(e.value_span));
                    }
                    _ => {}
                }
            }
        }
    }
    assert_eq!(invalid.len(), 4, "the four `</id>>`");
    assert_eq!(tactics.len(), 45);
    assert_eq!(placeholders.len(), 1);
    // T1574.002 is DLL Side-Loading on a 13.1 manager and its 19.2 replacement T1574.001
    // is DLL Search Order Hijacking there: no safe fix.
    assert!(revoked_fixable.is_empty(), "{revoked_fixable:?}");
    assert!(revoked_info.iter().any(|x| x.2 == "T1574.002"));
    assert!(revoked_info.iter().any(|x| x.2 == "T1562.001"));

    assert_eq!(found("WM101"), invalid);
    assert_eq!(found("WM102"), tactics);
    assert_eq!(found("WM111"), placeholders);
    assert_eq!(found("WM103"), unknown);
    assert_eq!(found("WM105"), deprecated);
    assert_eq!(found("WM106"), unknown_to_manager);
    let revoked: Vec<_> = diags.iter().filter(|d| d.code() == "WM104").collect();
    let fixable: Found = revoked
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .map(|d| key_of(d))
        .collect();
    assert_eq!(fixable, revoked_fixable);
    assert!(revoked
        .iter()
        .filter(|d| d
            .fix
            .as_ref()
            .is_none_or(|f| f.applicability != Applicability::Safe))
        .all(|d| d.severity == Severity::Info));
    assert_eq!(revoked.len(), revoked_fixable.len() + revoked_info.len());
    for d in revoked.iter().filter(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    }) {
        assert_eq!(d.fix.as_ref().unwrap().edits[0].replacement, "T1574.001");
    }
    // Tag checks that look for real mistakes the stock ruleset does not have.
    for code in ["WM107", "WM109", "WM110"] {
        assert!(found(code).is_empty(), "{code}: {:?}", found(code));
    }
    // The one rule hygiene finding: 91821 names itself.
    let hygiene: Vec<_> = diags
        .iter()
        .filter(|d| d.code().starts_with("WM2"))
        .collect();
    assert_eq!(hygiene.len(), 1);
    assert_eq!(
        (hygiene[0].code(), hygiene[0].rule_id),
        ("WM205", Some(91821))
    );
}

#[test]
fn stock_ruleset_with_itself_as_ruleset_has_no_parent_problems() {
    let Some(dir) = crate::common::stock_rules() else {
        return;
    };
    let p = project(
        std::slice::from_ref(&dir),
        std::slice::from_ref(&dir),
        no_custom_range(),
    );
    let diags = p.lint(&select(&["WM2"]), None);
    let codes: Vec<&str> = diags.iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["WM205"]);
}

#[test]
fn community_rulesets() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let dir = shared.join("corpus/community");
    let p = project(std::slice::from_ref(&dir), &[], Config::default());
    let diags = p.lint(&Selection::default(), None);
    // Broken files: located read errors, and every other file still read.
    assert_eq!(p.ws.failures.len(), 4);
    assert!(p.ws.failures.iter().all(|f| f.error.offset().is_some()));
    // Files of decoders the manager can read are named and skipped, not linted.
    let decoder_files: BTreeSet<PathBuf> =
        wazuh_mitre::ruleset::discover::expand_paths(std::slice::from_ref(&dir))
            .unwrap()
            .into_iter()
            .filter(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains("<decoder")))
            .filter(|f| p.ws.failures.iter().all(|x| &x.path != f))
            .collect();
    let skipped: BTreeSet<PathBuf> = p.ws.skipped.iter().map(|s| s.path.clone()).collect();
    assert_eq!(skipped, decoder_files);
    assert_eq!(
        p.ws.linted_file_count() + p.ws.failures.len() + p.ws.skipped.len(),
        28
    );
    // Non-Enterprise ids flagged.
    let unknown: BTreeSet<String> = diags
        .iter()
        .filter(|d| d.code() == "WM103")
        .map(|d| {
            d.span
                .slice(&p.ws.files[d.file].file.source.text)
                .to_string()
        })
        .collect();
    // T0006/T0007 (ICS ids, in a file broken elsewhere) and T1071.006, which no Enterprise
    // version defines.
    let db = AttackDb::embedded();
    assert!(db
        .all_versions()
        .all(|v| v.technique("T1071.006").is_none()));
    assert_eq!(
        unknown,
        BTreeSet::from([
            "T0006".to_string(),
            "T0007".to_string(),
            "T1071.006".to_string()
        ])
    );
    // Duplicate ids are found within each folder (one deployment each), computed here from
    // the files: the ids a folder's readable files define twice without overwrite="yes".
    let id_re = Regex::new(r#"<rule\s+id="(\d+)"([^>]*)>"#).unwrap();
    let comment_re = Regex::new(r"(?s)<!--.*?-->").unwrap();
    let mut expected: BTreeSet<(String, u32)> = BTreeSet::new();
    let mut by_folder: std::collections::BTreeMap<PathBuf, Vec<PathBuf>> = Default::default();
    for f in wazuh_mitre::ruleset::discover::expand_paths(std::slice::from_ref(&dir)).unwrap() {
        by_folder
            .entry(f.parent().unwrap().to_path_buf())
            .or_default()
            .push(f);
    }
    for (folder, files) in by_folder {
        let mut seen = BTreeSet::new();
        for f in files
            .iter()
            .filter(|f| wazuh_mitre::ruleset::read::read_path(f).is_ok())
        {
            let text = std::fs::read_to_string(f).unwrap();
            let text = comment_re.replace_all(&text, "");
            for c in id_re.captures_iter(&text) {
                let id: u32 = c[1].parse().unwrap();
                if !seen.insert(id) && !c[2].contains("overwrite") {
                    expected.insert((
                        folder.file_name().unwrap().to_string_lossy().into_owned(),
                        id,
                    ));
                }
            }
        }
    }
    let found: BTreeSet<(String, u32)> = diags
        .iter()
        .filter(|d| d.code() == "WM201")
        .map(|d| {
            let path = &p.ws.files[d.file].file.source.path;
            (
                path.parent()
                    .unwrap()
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                d.rule_id.unwrap(),
            )
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(found, expected);
}

/// The checks run on every core, a chunk of rules at a time: what they find, and the order it
/// comes in, is what one thread finds.
#[test]
fn checks_on_every_core_find_what_one_thread_finds() {
    let Some(paths) = crate::common::real_rulesets() else {
        return;
    };
    // The default configuration: the custom-range check adds a finding for most rules.
    let p = project(&paths, &[], Config::default());
    let lint_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let found = pool.install(|| p.lint(&Selection::default(), None));
        found
            .iter()
            .map(|d| {
                let fix = d
                    .fix
                    .as_ref()
                    .map(|f| (f.applicability, &f.description, &f.edits));
                format!(
                    "{} {:?} {} {:?} {} {fix:?}",
                    d.file,
                    d.span,
                    d.code(),
                    d.severity,
                    d.message
                )
            })
            .collect::<Vec<_>>()
    };
    let alone = lint_on(1);
    assert!(alone.len() > 2_500, "{}", alone.len());
    assert_eq!(lint_on(4), alone);
}
