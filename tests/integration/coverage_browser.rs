//! The coverage page in a real headless browser (Debian's chromium): every tactic is a
//! column, cells are coloured, and opening a cell shows its rules. Runs where `chromium` is
//! installed (`.ci/run` installs it); `WAZUH_MITRE_REQUIRE_BROWSER=1` makes a missing browser
//! a failure instead of a skip. The screenshot is left in the test target folder.

use crate::common::cli::run;
use std::process::Command;

fn chromium() -> Option<String> {
    for c in ["chromium", "chromium-browser"] {
        if Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(c.to_string());
        }
    }
    if std::env::var_os("WAZUH_MITRE_REQUIRE_BROWSER").is_some() {
        panic!("WAZUH_MITRE_REQUIRE_BROWSER is set but no chromium is installed");
    }
    eprintln!("notice: chromium not installed; skipping the browser test");
    None
}

#[test]
fn the_html_report_shows_every_tactic_coloured_cells_and_a_cells_rules() {
    let Some(stock) = crate::common::stock_rules() else {
        return;
    };
    let Some(browser) = chromium() else { return };
    let stock = stock.to_str().unwrap();
    let (code, html, _) = run(&["coverage", "--format", "html", stock]);
    assert_eq!(code, 0);
    let (_, json, _) = run(&["coverage", "--format", "json", stock]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let page = dir.join("coverage.html");
    std::fs::write(&page, html).unwrap();
    let url = format!("file://{}#T1110", page.display());
    let common_args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--virtual-time-budget=3000",
    ];
    let dom = Command::new(&browser)
        .args(common_args)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    // Every tactic of ATT&CK 19.2 is a column.
    assert_eq!(
        dom.matches("<div class=\"col\">").count(),
        15,
        "{}",
        &dom[..dom.len().min(2000)]
    );
    for t in report["tactics"].as_array().unwrap() {
        assert!(dom.contains(t["name"].as_str().unwrap()));
    }
    // Covered cells carry a colour by rule count; relevant cold ones used by groups are gaps.
    let covered_cells: u64 = report["tactics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["covered"].as_u64().unwrap())
        .sum();
    assert_eq!(
        dom.matches("style=\"background: rgb(").count() as u64,
        covered_cells,
        "covered cells are not all coloured"
    );
    assert!(dom.contains("class=\"cell gap\""));
    // Opening T1110 (the URL's #T1110 clicks its cell) shows the rules the report lists for it.
    let details = dom.split("<div id=\"details\">").nth(1).unwrap();
    let details = &details[..details.find("<div id=\"matrix\"").unwrap_or(details.len())];
    let t1110 = report["covered"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "T1110")
        .unwrap();
    for r in t1110["rules"].as_array().unwrap() {
        assert!(
            details.contains(&format!("rule <b>{}</b>", r["rule_id"])),
            "rule {} not shown",
            r["rule_id"]
        );
    }
    let shot = dir.join("coverage.png");
    let status = Command::new(&browser)
        .args(common_args)
        .arg("--window-size=1600,1100")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(status.status.success() && shot.metadata().unwrap().len() > 10_000);
}
