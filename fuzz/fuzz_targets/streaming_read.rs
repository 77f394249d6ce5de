//! Arbitrary bytes read into rules two ways: while the XML is read (what every command does,
//! so a 300,000-rule file never holds its whole tree) and from the whole tree. The model, or
//! the error, must be the same. Seeded with the stock and community rulesets (see
//! fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wazuh_mitre::ruleset::model::SourceFile;
use wazuh_mitre::ruleset::read::{parse, parse_whole_tree};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let source = || SourceFile::new("local_rules.xml".into(), text.clone());
    let streamed = format!("{:?}", parse(source()));
    let whole = format!("{:?}", parse_whole_tree(source()));
    assert_eq!(streamed, whole);
});
