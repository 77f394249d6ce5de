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
use crate::report::count;

pub fn table(r: &CoverageReport, diff: Option<&CoverageDiff>, color: bool) -> String {
    // The longest word of a tactic's name ("Reconnaissance"): headers wrap by word, uncut.
    const WIDTH: usize = 14;
    const ROWS: usize = 12;
    let paint = |s: String, c: &str| if color { format!("{c}{s}{RESET}") } else { s };
    let mut out = format!(
        "ATT&CK {} coverage ({} counted; tags as your {} manager resolves them)\n{}\n\n",
        r.attack_version,
        count(r.summary.rules_counted, "rule", "rules"),
        r.manager_attack,
        r.claim
    );
    let cols: Vec<&crate::coverage::TacticCoverage> = r.tactics.iter().collect();
    let cell = |s: &str| format!("{:<w$.w$}", s, w = WIDTH);
    let line = |f: &dyn Fn(&crate::coverage::TacticCoverage) -> String| {
        let text = cols.iter().map(|t| f(t)).collect::<Vec<_>>().join(" ");
        text.trim_end().to_string()
    };
    let headers: Vec<Vec<String>> = cols.iter().map(|t| wrap_words(&t.name, WIDTH)).collect();
    let header_rows = headers.iter().map(Vec::len).max().unwrap_or(0);
    for row in 0..header_rows {
        let text: Vec<String> = headers
            .iter()
            .map(|h| cell(h.get(row).map_or("", String::as_str)))
            .collect();
        out.push_str(text.join(" ").trim_end());
        out.push('\n');
    }
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
                "  {:<10} {} [{}] {}{}{}\n",
                g.id,
                g.name,
                g.tactics.join(", "),
                count(g.groups.len(), "group", "groups"),
                if g.target { ", your target" } else { "" },
                if g.tests > 0 {
                    format!(", {}", count(g.tests, "atomic test", "atomic tests"))
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
    if let Some(note) = outside_view_note(r) {
        out.push_str(&format!("\n{note}\n"));
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

/// `text` in lines of at most `width` characters, broken between words (a longer word
/// stands alone on its line).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(last) if last.chars().count() + 1 + word.chars().count() <= width => {
                last.push(' ');
                last.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

fn diff_text(d: &CoverageDiff) -> String {
    let mut out = format!(
        "\nCompared with before: {} gained, {} lost; {} whose tags changed\n",
        count(d.gained.len(), "technique", "techniques"),
        d.lost.len(),
        count(d.rules_changed.len(), "rule", "rules")
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
    for r in &d.rules_changed {
        out.push_str(&format!(
            "  rule {} ({}): {}\n",
            r.rule.rule_id,
            rule_place(&r.rule),
            r.describe()
        ));
    }
    out
}

/// `file:line`, or the file and rule id for a rule of the embedded stock index (no lines).
fn rule_place(r: &crate::coverage::RuleAt) -> String {
    if r.line == 0 {
        r.file.clone()
    } else {
        format!("{}:{}", r.file, r.line)
    }
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
/// by its number of rules; relevant cold techniques unscored, in a colour of their own.
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
            .map(|x| format!("{} ({})", x.rule_id, rule_place(x)))
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
            // No score: a renderer that colours scores (mitreattack-python's) would paint a
            // score of 0 with the gradient's first colour, the colour of covered.
            techniques.push(json!({
                "techniqueID": c.id,
                "tactic": t.shortname,
                "color": "#f4a3a3",
                "comment": "no rule covers it",
                "enabled": true,
            }));
        }
    }
    // Covered must look covered: one rule is a visible light blue, and the scale stops at
    // DARKEST_AT rules (a few techniques with a hundred rules would leave the rest near-white).
    const DARKEST_AT: usize = 10;
    let most = r.covered.iter().map(|c| c.rules.len()).max().unwrap_or(1);
    let max = most.clamp(2, DARKEST_AT);
    let layer = json!({
        "name": format!("wazuh-mitre coverage (ATT&CK {})", r.attack_version),
        "versions": {"layer": "4.5", "navigator": "4.9.1", "attack": r.attack_version},
        "domain": "enterprise-attack",
        "description": format!("Techniques the loaded Wazuh rules can put on an alert, scored by number of rules. {}", r.claim),
        "sorting": 3,
        "layout": {"layout": "side", "showID": true, "showName": true},
        "hideDisabled": false,
        "techniques": techniques,
        "gradient": {"colors": ["#a8d1ff", "#0a5fb4"], "minValue": 1, "maxValue": max},
        "legendItems": [
            {"label": "covered by 1 rule", "color": "#a8d1ff"},
            {"label": format!("covered by {max} rules or more"), "color": "#0a5fb4"},
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
            "\n**This change:** {} gained, {} lost; {} whose tags changed.\n\n",
            count(d.gained.len(), "technique", "techniques"),
            d.lost.len(),
            count(d.rules_changed.len(), "rule", "rules")
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
        for r in &d.rules_changed {
            out.push_str(&format!(
                "- rule {} (`{}`): `{}`\n",
                r.rule.rule_id,
                rule_place(&r.rule),
                r.describe()
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
    if let Some(note) = outside_view_note(r) {
        out.push_str(&format!("\n{note}\n"));
    }
    out
}

/// The cold techniques left out of the gaps, in one line: no log of the defender sees them.
fn outside_view_note(r: &CoverageReport) -> Option<String> {
    const SHOWN: usize = 3;
    if r.outside_view.is_empty() {
        return None;
    }
    let first: Vec<String> = r
        .outside_view
        .iter()
        .take(SHOWN)
        .map(|t| format!("{} {}", t.id, t.name))
        .collect();
    let more = r.outside_view.len().saturating_sub(SHOWN);
    Some(format!(
        "Not in the gaps: {} ATT&CK says no log of yours can see ({}{}); --format json lists them with why.",
        count(r.outside_view.len(), "technique", "techniques"),
        first.join(", "),
        if more > 0 { format!(", and {more} more") } else { String::new() }
    ))
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
