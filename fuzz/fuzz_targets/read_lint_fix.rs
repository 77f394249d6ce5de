//! Arbitrary bytes as a rule file: read -> lint -> fix, with fix's invariants: what it writes
//! reads back, the rules (ids, levels, parents, descriptions) are the same, and a second fix
//! changes nothing. Seeded with the stock ruleset (see fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wazuh_mitre::checks::registry::Selection;
use wazuh_mitre::config::Config;
use wazuh_mitre::project::{LoadOptions, Project};
use wazuh_mitre::rewrite::{plan, FixOptions};
use wazuh_mitre::ruleset::read::parse_bytes;

fn rules_of(text: &str) -> Option<Vec<(Option<u32>, Option<i64>, Vec<String>, String)>> {
    let f = parse_bytes("x.xml".into(), text.as_bytes().to_vec()).ok()?;
    Some(
        f.rules
            .iter()
            .map(|r| {
                (r.id, r.level, r.parents.iter().map(|p| p.value.clone()).collect(), r.description_text().to_string())
            })
            .collect(),
    )
}

fuzz_target!(|data: &[u8]| {
    // The reader alone, in memory.
    let _ = parse_bytes("fuzz.xml".into(), data.to_vec());
    // The whole pipeline, from a file as users run it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("local_rules.xml");
    std::fs::write(&path, data).unwrap();
    let opts = LoadOptions { paths: vec![path.clone()], no_default_ruleset: true, ..LoadOptions::default() };
    let Ok(mut project) = Project::load(&opts, Config::default()) else { return };
    let _ = project.lint(&Selection::default(), None);
    // Safe fixes: no suggester to build, so thousands of inputs a second. `--add-tags` and
    // the unsafe fixes go through the same planner and rewriter (tests/integration/fix.rs covers them).
    let fix = FixOptions::default();
    let first = plan(&mut project, &fix);
    for f in &first.files {
        let before = rules_of(&f.before);
        let after = rules_of(&f.after);
        assert!(after.is_some(), "the fixed text does not read back");
        assert_eq!(before, after, "a fix changed the rules outside <mitre>");
        // A second run has nothing left to do.
        std::fs::write(&f.path, &f.after).unwrap();
        let mut again = Project::load(&opts, Config::default()).unwrap();
        let second = plan(&mut again, &fix);
        assert!(second.files.is_empty(), "a second fix changed the file again");
    }
});
