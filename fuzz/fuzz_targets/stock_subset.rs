//! Arbitrary bytes as `local_rules.xml`, linted against the embedded stock ruleset twice:
//! with every stock file built, and with only those its rules can see (what `lint` and
//! `fix` do). The findings must be the same. Seeded with the stock ruleset (see
//! fuzz/README.md): its rules, linted as the user's, lean on the stock files in every way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wazuh_mitre::checks::registry::Selection;
use wazuh_mitre::config::Config;
use wazuh_mitre::project::{LoadOptions, Project, StockFiles};

/// Each finding as the user sees it: check, place, severity, message and fix.
fn findings(path: &std::path::Path, stock: StockFiles) -> Option<Vec<String>> {
    let opts = LoadOptions { paths: vec![path.to_path_buf()], stock, ..LoadOptions::default() };
    let project = Project::load(&opts, Config::default()).ok()?;
    Some(
        project
            .lint(&Selection::default(), None)
            .iter()
            .map(|d| {
                let file = &project.ws.files[d.file].file.source.path;
                let fix = d.fix.as_ref().map(|f| f.description.clone());
                format!("{} {} {:?} {:?} {} {:?} {fix:?}", d.code(), file.display(), d.span, d.severity, d.message, d.rule_id)
            })
            .collect(),
    )
}

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("local_rules.xml");
    std::fs::write(&path, data).unwrap();
    let all = findings(&path, StockFiles::All);
    let needed = findings(&path, StockFiles::Needed);
    assert_eq!(all, needed, "lint differs with only the needed stock files");
});
