//! JUnit XML: one test case per finding, one passing case per clean run.

use super::{display_path, Finding};
use crate::lint::Summary;
use xmlwriter::{Options, XmlWriter};

/// xmlwriter escapes only quotes in attributes and `<` in text; `&` (as in "ATT&CK") and
/// `<` in attributes are ours to escape.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn esc_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('>', "&gt;")
}

pub fn render(findings: &[Finding], summary: &Summary) -> String {
    let failing = findings
        .iter()
        .filter(|f| f.severity >= summary.fail_on)
        .count();
    let mut w = XmlWriter::new(Options::default());
    w.write_declaration();
    w.start_element("testsuites");
    w.start_element("testsuite");
    w.write_attribute("name", "wazuh-mitre");
    w.write_attribute("tests", &findings.len().max(1));
    w.write_attribute("failures", &failing);
    w.write_attribute("errors", &0);
    if findings.is_empty() {
        w.start_element("testcase");
        w.write_attribute(
            "name",
            &format!(
                "{} in {}",
                super::count(summary.rules, "rule", "rules"),
                super::count(summary.files, "file", "files")
            ),
        );
        w.write_attribute("classname", "wazuh-mitre");
        w.end_element();
    }
    for f in findings {
        let path = display_path(f.path);
        w.start_element("testcase");
        w.write_attribute(
            "name",
            &esc(&format!(
                "{}:{}:{} {}",
                path, f.start.line, f.start.column, f.code
            )),
        );
        w.write_attribute("classname", &esc(&path));
        let tag = if f.severity >= summary.fail_on {
            "failure"
        } else {
            "system-out"
        };
        w.start_element(tag);
        if tag == "failure" {
            w.write_attribute("type", &format!("{} {}", f.code, f.name));
            w.write_attribute("message", &esc(&f.message));
        }
        w.write_text(&esc_text(&format!(
            "{}:{}:{}: {} {}",
            path, f.start.line, f.start.column, f.code, f.message
        )));
        w.end_element();
        w.end_element();
    }
    let mut s = w.end_document();
    s.push('\n');
    s
}
