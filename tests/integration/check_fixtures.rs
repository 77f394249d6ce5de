//! Each check's fixtures: `hit.xml` must give exactly the findings in `hit.expected`
//! (concise output), `ok.xml` none of that check. A `ruleset/` folder beside them is loaded
//! as `--ruleset`.

use crate::common::lint::{assert_snapshot, project, render, select};
use std::path::PathBuf;
use wazuh_mitre::checks::registry::{all_infos, find_info};
use wazuh_mitre::config::Config;
use wazuh_mitre::report::Format;

fn fixture_dirs() -> Vec<PathBuf> {
    crate::common::subfolders("tests/fixtures/checks")
}

#[test]
fn every_check_has_fixtures() {
    let names: Vec<String> = fixture_dirs()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for info in all_infos() {
        assert!(
            names.contains(&info.name.to_string()),
            "no fixtures for {}",
            info.name
        );
    }
}

/// `hit.xml` gives exactly `hit.expected`; `ok.xml` gives nothing of the check.
fn hit_and_miss(name: &str) {
    let dir = PathBuf::from("tests/fixtures/checks").join(name);
    let info = find_info(name).unwrap_or_else(|| panic!("{name} is not a check name"));
    let rulesets: Vec<PathBuf> = Some(dir.join("ruleset"))
        .filter(|p| p.is_dir())
        .into_iter()
        .collect();
    // unused-suppression and unused-baseline-entry need the checks they watch to run.
    let sel = match info.code {
        "WM210" => select(&[info.code, "WM001", "WM104"]),
        "WM003" => select(&[info.code, "WM001"]),
        _ => select(&[info.code]),
    };
    // A `baseline.json` beside the fixtures is the run's baseline.
    let config = || Config {
        baseline: Some(dir.join("baseline.json")).filter(|p| p.is_file()),
        ..Config::default()
    };

    let p = project(&[dir.join("hit.xml")], &rulesets, config());
    let diags = p.lint(&sel, None);
    let out = render(&p, &diags, Format::Concise);
    assert!(
        out.contains(&format!(": {} ", info.code)),
        "{name}: hit.xml gives no {}:\n{out}",
        info.code
    );
    assert_snapshot(&dir.join("hit.expected"), &out);

    let p = project(&[dir.join("ok.xml")], &rulesets, config());
    let diags = p.lint(&sel, None);
    let out = render(&p, &diags, Format::Concise);
    assert!(
        !out.contains(&format!(": {} ", info.code)),
        "{name}: ok.xml gives {}:\n{out}",
        info.code
    );
}

/// One test per check's fixtures, so that one failing check hides no other.
macro_rules! fixture_tests {
    ($($test:ident => $name:literal,)*) => {
        mod hit_and_miss {
            $(#[test]
            fn $test() {
                super::hit_and_miss($name);
            })*
        }

        /// Every fixture folder has its test here.
        #[test]
        fn every_fixture_folder_has_a_test() {
            let listed = [$($name),*];
            for dir in fixture_dirs() {
                let name = dir.file_name().unwrap().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "add `{name}` to fixture_tests!");
            }
        }
    };
}

fixture_tests! {
    deprecated_technique => "deprecated-technique",
    duplicate_rule_id => "duplicate-rule-id",
    duplicate_technique => "duplicate-technique",
    invalid_rule_attributes => "invalid-rule-attributes",
    invalid_technique_id => "invalid-technique-id",
    missing_description => "missing-description",
    missing_technique => "missing-technique",
    mitre_block_structure => "mitre-block-structure",
    not_utf8 => "not-utf8",
    overwrite_missing_rule => "overwrite-missing-rule",
    parent_not_found => "parent-not-found",
    placeholder_technique => "placeholder-technique",
    platform_mismatch => "platform-mismatch",
    redundant_parent_technique => "redundant-parent-technique",
    revoked_technique => "revoked-technique",
    rule_file_structure => "rule-file-structure",
    rule_id_out_of_range => "rule-id-out-of-range",
    self_parent => "self-parent",
    tactic_id_as_technique => "tactic-id-as-technique",
    tactic_technique_mismatch => "tactic-technique-mismatch",
    unknown_parent_group => "unknown-parent-group",
    unknown_technique => "unknown-technique",
    unknown_to_manager => "unknown-to-manager",
    unreadable_file => "unreadable-file",
    unused_baseline_entry => "unused-baseline-entry",
    unused_suppression => "unused-suppression",
}
