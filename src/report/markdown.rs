//! Markdown for a pull-request comment: `suggest --format markdown` and
//! `fix --format markdown`. A compact table, the reasons folded under each rule.

use super::suggestions::RuleSuggestions;
use crate::rewrite::FixPlan;

/// Pipes and line breaks would break a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn suggestions(rows: &[RuleSuggestions], attack_version: &str) -> String {
    let mut out = format!(
        "### ATT&CK techniques suggested by wazuh-mitre (ATT&CK {attack_version})\n\n| rule | suggested techniques | confidence |\n|---|---|---|\n"
    );
    let shown: Vec<&RuleSuggestions> = rows.iter().filter(|r| !r.suggestions.is_empty()).collect();
    for r in &shown {
        let ids: Vec<String> = r
            .suggestions
            .iter()
            .map(|s| format!("`{}` {}", s.technique, cell(&s.name)))
            .collect();
        let conf: Vec<&str> = r
            .suggestions
            .iter()
            .map(|s| s.confidence.as_str())
            .collect();
        out.push_str(&format!(
            "| `{}` {} ({}:{}) | {} | {} |\n",
            r.rule_id.map_or("?".into(), |i| i.to_string()),
            cell(&r.description),
            cell(&r.file),
            r.line,
            ids.join("<br>"),
            conf.join("<br>")
        ));
    }
    for r in &shown {
        out.push_str(&format!(
            "\n<details><summary>Why, for rule {}</summary>\n\n",
            r.rule_id.map_or("?".into(), |i| i.to_string())
        ));
        for s in &r.suggestions {
            out.push_str(&format!(
                "- **{}** {} ({:.2}, {})\n",
                s.technique,
                cell(&s.name),
                s.score,
                s.confidence.as_str()
            ));
            for reason in &s.reasons {
                out.push_str(&format!(
                    "  - {}: {}\n",
                    reason.kind.as_str(),
                    cell(&reason.detail)
                ));
            }
        }
        out.push_str("\n</details>\n");
    }
    if shown.is_empty() {
        out.push_str("| - | no suggestion | - |\n");
    }
    out.push_str("\nSuggestions are evidence for a reviewer, not verdicts.\n");
    out
}

pub fn fix(plan: &FixPlan) -> String {
    let mut out = String::from(
        "### Changes wazuh-mitre fix proposes\n\n| file | rule | change |\n|---|---|---|\n",
    );
    for f in &plan.files {
        for a in &f.applied {
            out.push_str(&format!(
                "| {} | {} | {}: {} |\n",
                cell(&super::display_path(&f.path)),
                a.rule_id.map_or("-".into(), |i| i.to_string()),
                a.code,
                cell(&a.description)
            ));
        }
    }
    for f in &plan.files {
        for a in f.applied.iter().filter(|a| !a.reasons.is_empty()) {
            out.push_str(&format!(
                "\n<details><summary>Why, for rule {}: {}</summary>\n\n",
                a.rule_id.map_or("?".into(), |i| i.to_string()),
                cell(&a.description)
            ));
            for r in &a.reasons {
                let depth = r.len() - r.trim_start().len();
                out.push_str(&format!(
                    "{}- {}\n",
                    " ".repeat(depth),
                    cell(r.trim_start())
                ));
            }
            out.push_str("\n</details>\n");
        }
    }
    if plan.files.is_empty() {
        out.push_str("| - | - | nothing to change |\n");
    }
    out
}
