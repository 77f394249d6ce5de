//! Rendering of `suggest` and `eval` results.

use crate::suggest::eval::{AddTagsPasses, EvalRow, PassWritten, Written};
use crate::suggest::Suggestion;
use serde::Serialize;
use serde_json::json;

/// One rule's suggestions, as `suggest` prints them. Fields in alphabetical order: the
/// JSON's key order.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSuggestions {
    pub description: String,
    pub file: String,
    pub line: usize,
    pub rule_id: Option<u32>,
    pub suggestions: Vec<Suggestion>,
    /// Ids the rule already carries.
    pub tags: Vec<String>,
}

fn family(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

/// Tags that no suggestion supports, and strong suggestions the rule lacks.
fn disagreements(r: &RuleSuggestions) -> Vec<String> {
    let mut out = Vec::new();
    for t in &r.tags {
        if !r
            .suggestions
            .iter()
            .any(|s| family(&s.technique) == family(t))
        {
            out.push(format!("tag {t} has no support in the evidence"));
        }
    }
    for s in r
        .suggestions
        .iter()
        .filter(|s| s.confidence == crate::suggest::Confidence::High)
    {
        if !r.tags.iter().any(|t| family(t) == family(&s.technique)) {
            out.push(format!(
                "{} ({}) is strongly suggested but not tagged",
                s.technique, s.name
            ));
        }
    }
    out
}

pub fn human(rows: &[RuleSuggestions], attack_version: &str) -> String {
    let mut out = String::new();
    for r in rows {
        out.push_str(&format!(
            "rule {}  {}:{}  {}\n",
            r.rule_id.map_or("?".to_string(), |i| i.to_string()),
            r.file,
            r.line,
            r.description
        ));
        if !r.tags.is_empty() {
            out.push_str(&format!("  tagged: {}\n", r.tags.join(", ")));
            for d in disagreements(r) {
                out.push_str(&format!("  ! {d}\n"));
            }
        }
        if r.suggestions.is_empty() {
            out.push_str("  no technique has enough evidence\n");
        }
        for s in &r.suggestions {
            out.push_str(&format!(
                "  {:<10} {:.2} {:<6} {} ({})\n",
                s.technique,
                s.score,
                s.confidence.as_str(),
                s.name,
                s.tactics.join(", ")
            ));
            if let Some(why) = &s.confidence_why {
                out.push_str(&format!("      {:<11} {why}\n", "medium:"));
            }
            for reason in &s.reasons {
                out.push_str(&format!(
                    "      {:<11} {}\n",
                    reason.kind.as_str(),
                    reason.detail
                ));
            }
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "{}; ATT&CK {attack_version}. Suggestions are evidence for a reviewer, not verdicts.\n",
        super::count(rows.len(), "rule", "rules")
    ));
    out
}

/// The JSON document (version 1), written as it is serialised: no tree of values, no copy
/// of the whole text in memory.
/// `rows` are serialised as the iterator makes them: `suggest` ranks the next rules only
/// when the previous ones are written.
pub fn write_json(
    out: &mut dyn std::io::Write,
    rows: impl Iterator<Item = RuleSuggestions>,
    attack_version: &str,
) -> std::io::Result<()> {
    #[derive(Serialize)]
    #[serde(bound = "")]
    struct Document<'a, I: Iterator<Item = RuleSuggestions>> {
        attack_version: &'a str,
        rules: crate::report::StreamedSeq<I>,
        version: u32,
    }
    let doc = Document {
        attack_version,
        rules: crate::report::StreamedSeq::new(rows),
        version: 1,
    };
    crate::report::write_json_pretty(out, &doc)
}

/// A share, or `n/a` when there is nothing to take a share of.
fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        return "n/a".into();
    }
    format!("{:.1}%", 100.0 * EvalRow::rate(n, d))
}

pub fn eval_table(rows: &[EvalRow], passes: Option<&AddTagsPasses>) -> String {
    let mut out = format!(
        "{:<60} {:>6} {:>7} {:>7} {:>7} {:>10} {:>10} {:>17} {:>17}\n",
        "folder",
        "rules",
        "hit@1",
        "hit@3",
        "hit@5",
        "high prec",
        "high share",
        "add high tag/ok",
        "add medium tag/ok"
    );
    let written =
        |w: &Written, rules: usize| format!("{}/{}", pct(w.rules, rules), pct(w.right, w.ids));
    for r in rows {
        out.push_str(&format!(
            "{:<60} {:>6} {:>7} {:>7} {:>7} {:>10} {:>10} {:>17} {:>17}\n",
            r.folder,
            r.rules,
            pct(r.hit_at_1, r.rules),
            pct(r.hit_at_3, r.rules),
            pct(r.hit_at_5, r.rules),
            pct(r.high_correct, r.high_suggestions),
            pct(r.rules_with_high, r.rules),
            written(&r.write_high, r.rules),
            written(&r.write_medium, r.rules)
        ));
    }
    out.push_str(
        "add ... tag/ok: what `fix --add-tags --min-confidence ...` would write: the share of rules \
         that get a tag / the share of written ids that are right\n",
    );
    if rows.iter().any(|r| r.reviewed.is_some()) {
        out.push_str(&format!(
            "\nright by the rules' tags or the reviewed labels (--accept):\n{:<60} {:>8} {:>7} {:>7} {:>7} {:>10} {:>10} {:>10}\n",
            "folder", "reviewed", "hit@1", "hit@3", "hit@5", "high prec", "add high", "add medium"
        ));
        for r in rows {
            let Some(v) = &r.reviewed else { continue };
            out.push_str(&format!(
                "{:<60} {:>8} {:>7} {:>7} {:>7} {:>10} {:>10} {:>10}\n",
                r.folder,
                v.rules_reviewed,
                pct(v.hit_at_1, r.rules),
                pct(v.hit_at_3, r.rules),
                pct(v.hit_at_5, r.rules),
                pct(v.high_correct, r.high_suggestions),
                pct(v.write_high_right, r.write_high.ids),
                pct(v.write_medium_right, r.write_medium.ids),
            ));
        }
        out.push_str(
            "reviewed: rules the labels judge; the other rules count by their own tags alone\n",
        );
    }
    if let Some(p) = passes {
        out.push_str(&format!(
            "\nfix --add-tags (high) on the {} tagged rules with their tags taken out, by pass:\n",
            p.rules
        ));
        for (name, w) in [("first pass", &p.first), ("later passes", &p.later)] {
            out.push_str(&format!(
                "  {name:<13} {:>6} of rules tagged, {:>6} of ids right by the tags, {:>6} by tags or review\n",
                pct(w.rules, p.rules),
                pct(w.right, w.ids),
                pct(w.reviewed_right, w.ids),
            ));
        }
    }
    out
}

fn passes_json(p: &AddTagsPasses) -> serde_json::Value {
    let one = |w: &PassWritten| {
        json!({
            "tagged_share": EvalRow::rate(w.rules, p.rules),
            "right_share": (w.ids > 0).then(|| EvalRow::rate(w.right, w.ids)),
            "reviewed_right_share": (w.ids > 0).then(|| EvalRow::rate(w.reviewed_right, w.ids)),
            "counts": w,
        })
    };
    json!({"rules": p.rules, "first_pass": one(&p.first), "later_passes": one(&p.later)})
}

/// `fix --add-tags` at one confidence: share of rules tagged, share of written ids right.
fn written_json(w: &Written, rules: usize) -> serde_json::Value {
    json!({
        "tagged_share": EvalRow::rate(w.rules, rules),
        "right_share": (w.ids > 0).then(|| EvalRow::rate(w.right, w.ids)),
        "naming_rules_exact_share": (w.naming_rules > 0)
            .then(|| EvalRow::rate(w.naming_rules_exact, w.naming_rules)),
    })
}

pub fn eval_json(rows: &[EvalRow], passes: Option<&AddTagsPasses>) -> String {
    let v: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "folder": r.folder, "rules": r.rules,
                "hit_at_1": EvalRow::rate(r.hit_at_1, r.rules),
                "hit_at_3": EvalRow::rate(r.hit_at_3, r.rules),
                "hit_at_5": EvalRow::rate(r.hit_at_5, r.rules),
                "high_precision": (r.high_suggestions > 0)
                    .then(|| EvalRow::rate(r.high_correct, r.high_suggestions)),
                "high_share": EvalRow::rate(r.rules_with_high, r.rules),
                "add_tags": {
                    "high": written_json(&r.write_high, r.rules),
                    "medium": written_json(&r.write_medium, r.rules),
                },
                "reviewed": r.reviewed.map(|v| json!({
                    "rules_reviewed": v.rules_reviewed,
                    "hit_at_1": EvalRow::rate(v.hit_at_1, r.rules),
                    "hit_at_3": EvalRow::rate(v.hit_at_3, r.rules),
                    "hit_at_5": EvalRow::rate(v.hit_at_5, r.rules),
                    "high_precision": (r.high_suggestions > 0)
                        .then(|| EvalRow::rate(v.high_correct, r.high_suggestions)),
                    "add_tags": {
                        "high_right_share": (r.write_high.ids > 0)
                            .then(|| EvalRow::rate(v.write_high_right, r.write_high.ids)),
                        "medium_right_share": (r.write_medium.ids > 0)
                            .then(|| EvalRow::rate(v.write_medium_right, r.write_medium.ids)),
                    },
                })),
                "counts": r,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({
        "version": 1,
        "folders": v,
        "add_tags_passes": passes.map(passes_json),
    }))
    .expect("JSON values serialise");
    s.push('\n');
    s
}
