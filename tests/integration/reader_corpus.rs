//! The reader over the real Wazuh 4.14.7 ruleset and the community rulesets.

use std::path::PathBuf;
use wazuh_mitre::ruleset::load::{LoadEvent, LoadReplay, Workspace};
use wazuh_mitre::ruleset::read::read_path;
use wazuh_mitre::ruleset::{FileKind, MitreEntryKind, RuleFile};

fn xml_files(dir: &std::path::Path) -> Vec<PathBuf> {
    wazuh_mitre::ruleset::discover::expand_paths(&[dir.to_path_buf()]).unwrap()
}

fn read_stock() -> Option<Vec<RuleFile>> {
    let dir = crate::common::stock_rules()?;
    Some(
        xml_files(&dir)
            .iter()
            .map(|p| read_path(p).unwrap_or_else(|e| panic!("{}: {}", p.display(), e.error)))
            .collect(),
    )
}

#[test]
fn every_stock_rule_file_reads_with_the_documented_counts() {
    let Some(files) = read_stock() else { return };
    assert_eq!(files.len(), 168);
    assert!(files.iter().all(|f| f.kind == FileKind::Rules));
    assert!(files.iter().all(|f| f.structure_problems.is_empty()));
    let rules: usize = files.iter().map(|f| f.rules.len()).sum();
    assert_eq!(rules, 4512);
    let blocks: usize = files
        .iter()
        .flat_map(|f| &f.rules)
        .map(|r| r.mitre.len())
        .sum();
    assert_eq!(blocks, 1065);
    let tagged = files
        .iter()
        .flat_map(|f| &f.rules)
        .filter(|r| !r.mitre.is_empty())
        .count();
    assert_eq!(tagged, 1060);
    // Every id and level attribute parses as the manager reads it.
    assert!(files
        .iter()
        .flat_map(|f| &f.rules)
        .all(|r| r.id.is_some() && r.level.is_some()));
}

fn file<'a>(files: &'a [RuleFile], name: &str) -> &'a RuleFile {
    files
        .iter()
        .find(|f| f.source.path.ends_with(name))
        .unwrap()
}

#[test]
fn stock_spot_checks() {
    let Some(files) = read_stock() else { return };

    // `\<` inside a regex: the rule still reads, and its value is the original text.
    let f = file(&files, "0910-ms-exchange-proxylogon_rules.xml");
    let r = f
        .rules
        .iter()
        .find(|r| r.fields.iter().any(|m| m.value.contains("\\<\\w+")))
        .unwrap();
    assert!(r.id.is_some());

    // Tactic ids inside <id>: 45 of them.
    let f = file(&files, "0995-microsoft-graph_rules.xml");
    let tactic_ids = f
        .rules
        .iter()
        .flat_map(|r| &r.mitre)
        .flat_map(|b| &b.entries)
        .filter(|e| e.kind == MitreEntryKind::Id && e.value.starts_with("TA"))
        .count();
    assert_eq!(tactic_ids, 45);

    // `</id>>`: four stray '>' texts, each inside a mitre block of 0915.
    let f = file(&files, "0915-win-powershell_rules.xml");
    let stray: Vec<_> = f
        .rules
        .iter()
        .flat_map(|r| &r.mitre)
        .flat_map(|b| &b.entries)
        .filter(|e| e.kind == MitreEntryKind::StrayText)
        .collect();
    assert_eq!(stray.len(), 4);
    assert!(stray.iter().all(|e| e.span.slice(&f.source.text) == ">"));
    let r91821 = f.rules.iter().find(|r| r.id == Some(91821)).unwrap();
    let parents: Vec<&str> = r91821.parents.iter().map(|p| p.value.as_str()).collect();
    assert_eq!(parents, ["91820", "91821"]);
    assert_eq!(r91821.level, Some(4));

    // Windows base rules: parent chain and levels as written.
    let f = file(&files, "0580-win-security_rules.xml");
    let r = f.rules.iter().find(|r| r.id == Some(60122)).unwrap();
    assert_eq!(
        r.parents
            .iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>(),
        ["60105"]
    );
    assert_eq!(r.level, Some(5));
    assert_eq!(r.fields[0].name.as_deref(), Some("win.system.eventID"));
    assert_eq!(r.fields[0].value, "^529$|^4625$");
    let r = f.rules.iter().find(|r| r.id == Some(60103)).unwrap();
    assert_eq!((r.level, r.parents[0].value.as_str()), (Some(0), "60001"));
}

#[test]
fn stock_load_order_replay_finds_only_the_self_parent() {
    let Some(dir) = crate::common::stock_rules() else {
        return;
    };
    let ws = Workspace::load(&[], &[dir]).unwrap();
    assert!(ws.ruleset_failures.is_empty());
    let replay = LoadReplay::run(&ws, true);
    let self_parents: Vec<u32> = replay
        .events
        .iter()
        .filter_map(|e| match e {
            LoadEvent::SelfParent { rule, .. } => ws.rule(*rule).id,
            _ => None,
        })
        .collect();
    assert_eq!(self_parents, [91821]);
    assert!(
        !replay
            .events
            .iter()
            .any(|e| matches!(e, LoadEvent::DuplicateId { .. })),
        "the stock ruleset has no duplicate ids"
    );
}

#[test]
fn every_stock_decoder_file_reads() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let files = xml_files(&shared.join("corpus/wazuh-4.14.7/decoders"));
    assert_eq!(files.len(), 120);
    for p in files {
        let f = read_path(&p).unwrap_or_else(|e| panic!("{}: {}", p.display(), e.error));
        assert_ne!(f.kind, FileKind::Rules, "{}", p.display());
        assert!(f.rules.is_empty());
    }
}

#[test]
fn community_broken_files_give_located_errors_and_the_rest_read() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let dir = shared.join("corpus/community");
    let expected_broken = [
        ("bret99__wazuh_custom_rules/OpenVPN/local_rules.xml", 28),
        (
            "bret99__wazuh_custom_rules/blocked_AD_users_connections/local_rules.xml",
            12,
        ),
        ("bret99__wazuh_custom_rules/bitrix/local_decoder.xml", 29),
        // SOURCE.md says 38, a strict XML parser's line; the manager's own reader stops at
        // 33 (`</prematch    >`: os_xml compares closing names with their spaces), which the
        // differential test (tests/manager_reader.rs) checks against os_xml itself.
        ("bret99__wazuh_custom_rules/usergate/local_decoder.xml", 33),
    ];
    let mut broken = Vec::new();
    for p in xml_files(&dir) {
        match read_path(&p) {
            Ok(_) => {}
            Err(e) => {
                let src = e.source.as_ref().unwrap();
                let lc = src.lines.line_col(&src.text, e.error.offset().unwrap());
                let rel = p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
                broken.push((rel, lc.line));
            }
        }
    }
    broken.sort();
    let mut expected: Vec<(String, usize)> = expected_broken
        .iter()
        .map(|(p, l)| (p.to_string(), *l))
        .collect();
    expected.sort();
    assert_eq!(broken, expected);
}
