//! Arbitrary bytes as a configuration file and as an alerts file: never a panic; the
//! configuration is either accepted or refused with a located error; every alert line is
//! either counted or counted as bad.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wazuh_mitre::attack::AttackDb;
use wazuh_mitre::config::Config;
use wazuh_mitre::coverage::alerts;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Config::parse(text, std::path::Path::new(".wazuh-mitre.yml"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.json");
    std::fs::write(&path, data).unwrap();
    let db = AttackDb::embedded();
    let fired = alerts::read_all(&[path], db.latest()).expect("a readable file is never an error");
    assert!(fired.alerts + fired.bad_lines <= fired.lines);
});
