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

#[test]
fn fixtures_hit_and_miss() {
    for dir in fixture_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let info = find_info(&name).unwrap_or_else(|| panic!("{name} is not a check name"));
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
}
