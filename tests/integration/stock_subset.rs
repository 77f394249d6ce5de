//! `lint` (and `fix` without the suggester) builds only the embedded stock files its rules
//! can see (`StockFiles::Needed`). That is only right if no finding changes: every input
//! here is linted both ways and the JSON reports must be equal, byte for byte, and the
//! fixes too. The inputs: the example, every check's and every fix's fixtures, every
//! community file on its own, and files written here from the stock ruleset itself:
//! children of its ids and groups (by name, by pattern, mistyped), copies of its ids and
//! overwrites of them, a few rules per file so each run sees different files.

use crate::common::lint::render;
use std::path::{Path, PathBuf};
use wazuh_mitre::checks::registry::Selection;
use wazuh_mitre::config::Config;
use wazuh_mitre::project::{LoadOptions, Project, StockFiles};
use wazuh_mitre::report::Format;
use wazuh_mitre::rewrite::{plan, FixOptions};
use wazuh_mitre::ruleset::read::read_path;
use wazuh_mitre::ruleset::FileKind;

fn load(paths: &[PathBuf], stock: StockFiles) -> Project {
    Project::load(
        &LoadOptions {
            paths: paths.to_vec(),
            stock,
            ..LoadOptions::default()
        },
        Config::default(),
    )
    .unwrap()
}

/// The JSON report of a lint with every check, and how many stock files the run built.
fn report(paths: &[PathBuf], stock: StockFiles) -> (String, usize) {
    let project = load(paths, stock);
    let diagnostics = project.lint(&Selection::default(), None);
    let built = project.ws.files.len() - project.ws.linted_file_count();
    (render(&project, &diagnostics, Format::Json), built)
}

/// What `fix` (safe fixes, no suggester) would write: each changed file's path and text.
fn fixes(paths: &[PathBuf], stock: StockFiles) -> Vec<(PathBuf, String)> {
    let mut project = load(paths, stock);
    plan(&mut project, &FixOptions::default())
        .files
        .into_iter()
        .map(|f| (f.path, f.after))
        .collect()
}

/// Lints and fixes `paths` both ways; returns the stock files each built (all, needed).
fn assert_same(paths: &[PathBuf]) -> (usize, usize) {
    let (all, built_all) = report(paths, StockFiles::All);
    let (needed, built_needed) = report(paths, StockFiles::Needed);
    assert_eq!(
        all, needed,
        "lint of {paths:?} differs with only the needed stock files"
    );
    assert!(built_needed <= built_all);
    assert_eq!(
        fixes(paths, StockFiles::All),
        fixes(paths, StockFiles::Needed),
        "fix of {paths:?} differs with only the needed stock files"
    );
    (built_all, built_needed)
}

#[test]
fn the_example_and_every_fixture_lint_alike_with_only_the_needed_stock_files() {
    let (all, needed) = assert_same(&[crate::common::repo().join("examples/local_rules.xml")]);
    // Not vacuous: the example sees a part of the stock ruleset, not all of it.
    assert!(
        all > 150 && needed > 0 && needed < all / 4,
        "{all} {needed}"
    );
    let mut changed = 0;
    for dir in crate::common::subfolders("tests/fixtures/checks")
        .into_iter()
        .chain(crate::common::subfolders("tests/fixtures/fix"))
    {
        assert_same(std::slice::from_ref(&dir));
        changed += fixes(&[dir], StockFiles::Needed).len();
    }
    assert!(changed > 5, "{changed}");
}

#[test]
fn every_community_file_lints_alike_with_only_the_needed_stock_files() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![shared.join("corpus/community")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xml")
                && read_path(&p).map_or(true, |f| f.kind == FileKind::Rules)
            {
                // A file of decoders alone is no run at all (exit 2).
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 20);
    for f in &files {
        assert_same(std::slice::from_ref(f));
    }
    assert_same(&files);
}

/// Rules that lean on the stock ruleset in every way the replay knows.
fn leaning_rules(stock: &Path) -> Vec<String> {
    let mut ids: Vec<u32> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(stock)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in &paths {
        let file = read_path(p).unwrap();
        for r in &file.rules {
            ids.extend(r.id);
            groups.extend(r.all_groups().map(str::to_string));
        }
    }
    groups.sort();
    groups.dedup();
    let mut rules = Vec::new();
    let mut next_id = 100_000;
    // Techniques of all platforms, of Windows only and of Linux and macOS only: findings
    // that depend on the platform the parents give the rule.
    let techniques = ["T1110", "T1003.001", "T1548.001"];
    let mut rule = |body: String, attrs: &str, id: Option<u32>| {
        let id = id.unwrap_or_else(|| {
            next_id += 1;
            next_id
        });
        let technique = techniques[rules.len() % techniques.len()];
        rules.push(format!(
            "  <rule id=\"{id}\" level=\"5\"{attrs}>\n    {body}\n    <description>leans on the stock ruleset</description>\n    <mitre><id>{technique}</id></mitre>\n  </rule>\n"
        ));
    };
    for (i, id) in ids.iter().enumerate().step_by(7) {
        let element = if i % 3 == 0 {
            "if_matched_sid"
        } else {
            "if_sid"
        };
        rule(format!("<{element}>{id}</{element}>"), "", None);
    }
    for id in ids.iter().step_by(97) {
        rule(format!("<if_sid>{}</if_sid>", id + 1), "", Some(*id));
        rule("<match>x</match>".into(), " overwrite=\"yes\"", Some(*id));
    }
    for (i, g) in groups.iter().enumerate().step_by(3) {
        let pattern = match i % 5 {
            0 => g.clone(),
            1 => g.to_ascii_uppercase(),
            2 => format!("^{}", &g[..g.len().min(5)]),
            3 => g.replace('_', "-"),
            _ => format!("{}|nosuchgroup", &g[..g.len().min(7)]),
        };
        let element = if i % 4 == 0 {
            "if_matched_group"
        } else {
            "if_group"
        };
        rule(format!("<{element}>{pattern}</{element}>"), "", None);
    }
    rules
}

#[test]
fn rules_leaning_on_every_part_of_the_stock_ruleset_lint_alike() {
    let Some(stock) = crate::common::stock_rules() else {
        return;
    };
    let rules = leaning_rules(&stock);
    assert!(rules.len() > 900, "{}", rules.len());
    let dir = std::env::temp_dir().join(format!("wazuh-mitre-subset-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A few rules per file: each run sees its own part of the stock ruleset.
    for (n, chunk) in rules.chunks(12).enumerate() {
        let path = crate::common::write(
            &dir,
            &format!("leaning_{n:03}.xml"),
            format!("<group name=\"local,\">\n{}</group>\n", chunk.concat()).as_bytes(),
        );
        assert_same(&[path]);
    }
    // And one stock file linted in its own place: every other one is built.
    let replaced = stock.join("0580-win-security_rules.xml");
    let (all, needed) = assert_same(&[replaced, dir.join("leaning_000.xml")]);
    assert_eq!(all, needed);
    std::fs::remove_dir_all(&dir).unwrap();
}
