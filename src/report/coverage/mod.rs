//! Renderers of a [`CoverageReport`]: terminal table, JSON (the contract), ATT&CK Navigator
//! layer 4.5, a self-contained HTML page, a Markdown comment, and the validation plan.

mod html;

pub use html::html;

use crate::coverage::{CoverageDiff, CoverageReport};
use serde_json::json;

const GREEN: &str = "\x1b[32m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const RESET: &str = "\x1b[0m";

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "n/a".into()
    } else {
        format!("{:.0}%", 100.0 * n as f64 / d as f64)
    }
}

/// Tactics as columns: each column its covered/total and its techniques, covered first.
pub fn table(r: &CoverageReport, diff: Option<&CoverageDiff>, color: bool) -> String {
    const WIDTH: usize = 11;
    const ROWS: usize = 12;
    let paint = |s: String, c: &str| if color { format!("{c}{s}{RESET}") } else { s };
    let mut out = format!(
        "ATT&CK {} coverage ({} rules counted; tags as your {} manager resolves them)\n{}\n\n",
        r.attack_version, r.summary.rules_counted, r.manager_attack, r.claim
    );
    let cols: Vec<&crate::coverage::TacticCoverage> = r.tactics.iter().collect();
    let cell = |s: &str| format!("{:<w$.w$}", s, w = WIDTH);
    let line = |f: &dyn Fn(&crate::coverage::TacticCoverage) -> String| {
        cols.iter().map(|t| f(t)).collect::<Vec<_>>().join(" ")
    };
    out.push_str(&line(&|t| cell(&t.name)));
    out.push('\n');
    out.push_str(&line(&|t| {
        cell(&format!(
            "{}/{} {}",
            t.covered,
            t.total,
            pct(t.covered, t.total)
        ))
    }));
    out.push('\n');
    for row in 0..ROWS {
        let text = line(&|t| {
            let shown: Vec<&crate::coverage::Cell> =
                t.techniques.iter().filter(|c| c.relevant).collect();
            match shown.get(row) {
                Some(c) if c.covered => paint(cell(&format!("{} {}", c.id, c.rule_count)), GREEN),
                Some(c) => paint(cell(&c.id), if c.weight > 0.0 { RED } else { DIM }),
                None if row == ROWS - 1 || shown.len() <= row => cell(""),
                None => cell(""),
            }
        });
        if text.trim().is_empty() {
            break;
        }
        out.push_str(&text);
        out.push('\n');
    }
    out.push_str(&format!(
        "\n{} of {} techniques covered ({}), {} exact ids; a number is how many rules. Full lists: --format json or html.\n",
        r.summary.techniques_covered,
        r.summary.techniques_total,
        pct(r.summary.techniques_covered, r.summary.techniques_total),
        r.summary.exact_ids_covered
    ));
    if !r.cannot_alert.is_empty() {
        out.push_str(&format!(
            "{} tags cannot reach an alert (see --format json: cannot_alert), e.g.:\n",
            r.cannot_alert.len()
        ));
        for c in r.cannot_alert.iter().take(5) {
            out.push_str(&format!(
                "  rule {} {}: {} - {}\n",
                c.rule.rule_id, c.technique, c.rule.file, c.reason
            ));
        }
    }
    if !r.gaps.is_empty() {
        out.push_str(&format!(
            "\nGaps that matter most (weighted by {}):\n",
            r.relevance.weighting
        ));
        for g in &r.gaps {
            out.push_str(&format!(
                "  {:<10} {} [{}] {} groups{}{}\n",
                g.id,
                g.name,
                g.tactics.join(", "),
                g.groups.len(),
                if g.target { ", your target" } else { "" },
                if g.tests > 0 {
                    format!(", {} atomic tests", g.tests)
                } else {
                    String::new()
                }
            ));
            for d in &g.detections {
                out.push_str(&format!(
                    "             close it from {} \"{}\" (by {})\n",
                    if d.source == "sigma" {
                        "Sigma"
                    } else {
                        "Splunk"
                    },
                    d.title,
                    d.author
                ));
            }
        }
    }
    if let Some(f) = &r.fired {
        out.push_str(&format!(
            "\nAlerts: {} read ({} bad lines); covered and fired {}, covered never fired {}, fired without a counted rule {}, rules that fired untagged {}\n",
            f.alerts,
            f.bad_lines,
            f.covered_and_fired.len(),
            f.covered_never_fired.len(),
            f.fired_not_covered.len(),
            f.fired_untagged.len()
        ));
        for b in &f.bad_line_examples {
            out.push_str(&format!("  bad line {b}\n"));
        }
    }
    if let Some(d) = diff {
        out.push_str(&diff_text(d));
    }
    out
}

fn diff_text(d: &CoverageDiff) -> String {
    let mut out = format!(
        "\nCompared with before: {} techniques gained, {} lost\n",
        d.gained.len(),
        d.lost.len()
    );
    for c in &d.lost {
        out.push_str(&format!(
            "  this change stops covering {} {}: {}\n",
            c.technique,
            c.name,
            c.why.join("; ")
        ));
    }
    for c in &d.gained {
        let ids: Vec<String> = c.rules.iter().map(|r| r.rule_id.to_string()).collect();
        out.push_str(&format!(
            "  now covers {} {} (rules {})\n",
            c.technique,
            c.name,
            ids.join(", ")
        ));
    }
    out
}

/// The report itself, with the diff when there is one.
pub fn json(r: &CoverageReport, diff: Option<&CoverageDiff>) -> String {
    let mut v = serde_json::to_value(r).expect("the report serialises");
    if let Some(d) = diff {
        v["compare"] = serde_json::to_value(d).expect("the diff serialises");
    }
    let mut s = serde_json::to_string_pretty(&v).expect("JSON values serialise");
    s.push('\n');
    s
}

/// An ATT&CK Navigator layer (format 4.5): one entry per covered exact id and tactic, scored
/// by its number of rules; relevant cold techniques scored 0 in a colour of their own.
pub fn navigator(r: &CoverageReport) -> String {
    let mut techniques = Vec::new();
    let tactics_of = |id: &str| -> Vec<&str> {
        let top = crate::coverage::parent_of(id);
        r.tactics
            .iter()
            .filter(|t| t.techniques.iter().any(|c| c.id == top))
            .map(|t| t.shortname.as_str())
            .collect()
    };
    for c in &r.covered {
        let rules: Vec<String> = c
            .rules
            .iter()
            .map(|x| format!("{} ({}:{})", x.rule_id, x.file, x.line))
            .collect();
        for tactic in tactics_of(&c.id) {
            techniques.push(json!({
                "techniqueID": c.id,
                "tactic": tactic,
                "score": c.rules.len(),
                "comment": format!("{} rule(s): {}", c.rules.len(), rules.join(", ")),
                "enabled": true,
                "showSubtechniques": false,
                "links": [{"label": "ATT&CK", "url": format!("https://attack.mitre.org/techniques/{}/", c.id.replace('.', "/"))}],
            }));
        }
    }
    for t in &r.tactics {
        for c in t.techniques.iter().filter(|c| c.relevant && !c.covered) {
            techniques.push(json!({
                "techniqueID": c.id,
                "tactic": t.shortname,
                "score": 0,
                "color": "#f4a3a3",
                "comment": "no rule covers it",
                "enabled": true,
            }));
        }
    }
    let max = r
        .covered
        .iter()
        .map(|c| c.rules.len())
        .max()
        .unwrap_or(1)
        .max(2);
    let layer = json!({
        "name": format!("wazuh-mitre coverage (ATT&CK {})", r.attack_version),
        "versions": {"layer": "4.5", "navigator": "4.9.1", "attack": r.attack_version},
        "domain": "enterprise-attack",
        "description": format!("Techniques the loaded Wazuh rules can put on an alert, scored by number of rules. {}", r.claim),
        "sorting": 3,
        "layout": {"layout": "side", "showID": true, "showName": true},
        "hideDisabled": false,
        "techniques": techniques,
        "gradient": {"colors": ["#ffffff", "#66b1ff", "#0a5fb4"], "minValue": 0, "maxValue": max},
        "legendItems": [
            {"label": "covered (score = rules)", "color": "#66b1ff"},
            {"label": "relevant, no rule", "color": "#f4a3a3"}
        ],
        "metadata": [
            {"name": "manager ATT&CK", "value": r.manager_attack},
            {"name": "weighting", "value": r.relevance.weighting}
        ],
    });
    let mut s = serde_json::to_string_pretty(&layer).expect("JSON values serialise");
    s.push('\n');
    s
}

/// A compact pull-request comment.
pub fn markdown(r: &CoverageReport, diff: Option<&CoverageDiff>) -> String {
    let mut out = format!(
        "### ATT&CK {} coverage\n\n{} of {} techniques covered ({}); tags as a {} manager resolves them.\n\n> {}\n\n| tactic | covered | of |\n|---|---|---|\n",
        r.attack_version,
        r.summary.techniques_covered,
        r.summary.techniques_total,
        pct(r.summary.techniques_covered, r.summary.techniques_total),
        r.manager_attack,
        r.claim
    );
    for t in &r.tactics {
        out.push_str(&format!("| {} | {} | {} |\n", t.name, t.covered, t.total));
    }
    if let Some(d) = diff {
        out.push_str(&format!(
            "\n**This change:** {} techniques gained, {} lost.\n\n",
            d.gained.len(),
            d.lost.len()
        ));
        for c in &d.lost {
            out.push_str(&format!(
                "- :x: stops covering `{}` {}: {}\n",
                c.technique,
                c.name,
                c.why.join("; ")
            ));
        }
        for c in &d.gained {
            out.push_str(&format!(
                "- :white_check_mark: now covers `{}` {}\n",
                c.technique, c.name
            ));
        }
    }
    if !r.gaps.is_empty() {
        out.push_str("\n<details><summary>Gaps that matter most</summary>\n\n| technique | tactics | groups using it | public detections to start from |\n|---|---|---|---|\n");
        for g in &r.gaps {
            let detections: Vec<String> = g
                .detections
                .iter()
                .map(|d| format!("{} (by {})", d.title, d.author))
                .collect();
            out.push_str(&format!(
                "| `{}` {} | {} | {} | {} |\n",
                g.id,
                g.name,
                g.tactics.join(", "),
                g.groups.len(),
                detections.join("<br>").replace('|', "\\|")
            ));
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// The validation plan: one runnable line per atomic test.
pub fn plan(r: &CoverageReport) -> String {
    if r.fired.is_none() {
        return "# the plan lists covered techniques that never fired: give --alerts FILE\n".into();
    }
    let mut out = String::from(
        "# Atomic Red Team tests for techniques your rules cover but that never fired.\n",
    );
    for p in &r.plan {
        out.push_str(&format!("# {} {}\n", p.technique, p.name));
        for t in &p.tests {
            out.push_str(&format!(
                "{}    # {} [{}]\n",
                t.command,
                t.name,
                t.platforms.join(", ")
            ));
        }
    }
    out
}
