//! Differential test: our reader against the manager's own (os_xml, built from ../shared).
//!
//! For every real rule and decoder file, every fixture and thousands of mutations of real
//! files, both must give the same verdict (read, or refused with the same message at the same
//! line) and, where both read, the same element tree with the same text after `$VAR`s; and
//! the rules our model holds must be the ones in the manager's tree: same ids, levels,
//! parents and descriptions. When the two disagree, the manager is right.

use crate::common::mutate::{mutate_bytes, Rng};
use crate::common::oracle::{
    harness, manager_tree, manager_view, model_text, our_view, ManagerElement,
};
use std::path::{Path, PathBuf};
use wazuh_mitre::ruleset::model::{ParentKind, RuleFile};
use wazuh_mitre::ruleset::read::parse_bytes;

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            xml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "xml") {
            out.push(p);
        }
    }
}

/// Asserts that we and the manager agree on each file; returns how many each way.
fn assert_agree(harness: &Path, files: &[PathBuf]) -> (usize, usize) {
    let theirs = manager_view(harness, files);
    let mut read = 0;
    let mut refused = 0;
    let mut disagreements = Vec::new();
    for (path, theirs) in files.iter().zip(&theirs) {
        let bytes = std::fs::read(path).unwrap();
        let ours = our_view(&bytes);
        if &ours != theirs {
            disagreements.push(format!(
                "{}:\n  manager: {}\n  ours:    {}",
                path.display(),
                first_difference(theirs, &ours).0,
                first_difference(theirs, &ours).1
            ));
            continue;
        }
        match manager_tree(theirs) {
            Some(tree) => {
                read += 1;
                let model = parse_bytes(path.clone(), bytes).unwrap_or_else(|e| {
                    panic!(
                        "{}: the manager reads it, our model does not: {}",
                        path.display(),
                        e.error
                    )
                });
                if let Err(why) = same_rules(&tree, &model) {
                    disagreements.push(format!("{}: {why}", path.display()));
                }
            }
            None => refused += 1,
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} files disagree with the manager's reader:\n{}",
        disagreements.len(),
        files.len(),
        disagreements
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    (read, refused)
}

fn first_difference<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    a.lines().zip(b.lines()).find(|(x, y)| x != y).unwrap_or((
        a.lines().last().unwrap_or(""),
        b.lines().last().unwrap_or(""),
    ))
}

/// The rules of the manager's tree (top-level `group` > `rule`) against our model's.
fn same_rules(tree: &[ManagerElement], model: &RuleFile) -> Result<(), String> {
    if tree.iter().any(|e| e.name.eq_ignore_ascii_case("decoder")) {
        return Ok(());
    }
    let theirs: Vec<&ManagerElement> = tree
        .iter()
        .filter(|g| g.name.eq_ignore_ascii_case("group"))
        .flat_map(|g| g.children.iter())
        .filter(|r| r.name.eq_ignore_ascii_case("rule"))
        .collect();
    if theirs.len() != model.rules.len() {
        return Err(format!(
            "{} rules in the manager's tree, {} in ours",
            theirs.len(),
            model.rules.len()
        ));
    }
    for (t, ours) in theirs.iter().zip(&model.rules) {
        let text = |s: Option<wazuh_mitre::ruleset::Spanned<&str>>| s.map(|s| s.value.to_string());
        let theirs_attr = |name: &str| t.attribute(name).map(model_text);
        let at = format!("rule {:?}", t.attribute("id"));
        if theirs_attr("id") != text(ours.id_raw())
            || theirs_attr("level") != text(ours.level_raw())
        {
            return Err(format!(
                "{at}: id/level {:?}/{:?} vs ours {:?}/{:?}",
                t.attribute("id"),
                t.attribute("level"),
                ours.id_raw(),
                ours.level_raw()
            ));
        }
        let child = |name: &'static str| {
            t.children
                .iter()
                .filter(move |c| c.name.eq_ignore_ascii_case(name))
        };
        let descriptions: Vec<String> = child("description")
            .map(|d| model_text(&d.content))
            .collect();
        let description = (!descriptions.is_empty()).then(|| descriptions.concat());
        if description != ours.description.as_ref().map(|d| d.value.clone()) {
            return Err(format!(
                "{at}: description {description:?} vs ours {:?}",
                ours.description
            ));
        }
        for (kind, name) in [
            (ParentKind::IfSid, "if_sid"),
            (ParentKind::IfMatchedSid, "if_matched_sid"),
            (ParentKind::IfGroup, "if_group"),
        ] {
            let theirs: Vec<String> = child(name)
                .flat_map(|c| {
                    model_text(&c.content)
                        .split([',', ' ', '\t', '\n', '\r'])
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .collect();
            let ours: Vec<String> = ours
                .parents
                .iter()
                .filter(|p| p.kind == kind)
                .map(|p| p.value.clone())
                .collect();
            if theirs != ours {
                return Err(format!("{at}: {name} {theirs:?} vs ours {ours:?}"));
            }
        }
    }
    Ok(())
}

#[test]
fn every_real_file_reads_as_the_manager_reads_it() {
    let Some(h) = harness() else { return };
    let shared = crate::common::shared().unwrap();
    let mut files = Vec::new();
    xml_files(&shared.join("corpus"), &mut files);
    assert!(
        files.len() > 300,
        "expected the stock and community files, found {}",
        files.len()
    );
    let (read, refused) = assert_agree(h, &files);
    // The four broken community files (SOURCE.md) are the only ones refused.
    assert_eq!(refused, 4, "{read} read");
}

#[test]
fn every_fixture_and_example_reads_as_the_manager_reads_it() {
    let Some(h) = harness() else { return };
    let mut files = Vec::new();
    xml_files(&crate::common::repo().join("tests/fixtures"), &mut files);
    xml_files(&crate::common::repo().join("examples"), &mut files);
    assert!(files.len() > 20);
    assert_agree(h, &files);
}

#[test]
fn mutated_files_read_as_the_manager_reads_them() {
    let Some(h) = harness() else { return };
    let shared = crate::common::shared().unwrap();
    let stock = shared.join("corpus/wazuh-4.14.7/rules");
    let mut sources =
        vec![
            std::fs::read_to_string(crate::common::repo().join("examples/local_rules.xml"))
                .unwrap(),
        ];
    for name in [
        "0910-ms-exchange-proxylogon_rules.xml",
        "0915-win-powershell_rules.xml",
        "0095-sshd_rules.xml",
        "0010-rules_config.xml",
    ] {
        sources.push(std::fs::read_to_string(stock.join(name)).unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x0dd5_eed5_1234_5678);
    let mut files = Vec::new();
    for (s, src) in sources.iter().enumerate() {
        for i in 0..400 {
            let p = dir.path().join(format!("m{s}-{i:03}.xml"));
            std::fs::write(&p, mutate_bytes(src, &mut rng)).unwrap();
            files.push(p);
        }
    }
    let (read, refused) = assert_agree(h, &files);
    // Both verdicts occur, so both sides of the comparison are exercised.
    assert!(
        read > 100 && refused > 100,
        "read {read}, refused {refused}"
    );
}
