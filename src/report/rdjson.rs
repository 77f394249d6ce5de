//! The Reviewdog Diagnostic Format (rdjson: one result object; rdjsonl: one diagnostic per
//! line), for `lint` and `fix`. Positions are 1-based lines and 1-based columns counted in
//! UTF-8 bytes, as the format says (elsewhere we count characters).
//!
//! `fix` has one code path: the plan that `fix --write` applies. Its result, the fixed text of
//! each file, is compared with the original, and each changed stretch becomes one suggestion
//! on the rule it touches, with the fixes and suggested techniques (and their reasons) made
//! there as its message. Applying every suggestion to the original bytes gives exactly what
//! `fix --write` writes.

use super::{check_url, display_path, Finding};
use crate::checks::{Applicability, Severity};
use crate::rewrite::{Applied, FixPlan, FixedFile};
use crate::ruleset::Span;
use serde_json::{json, Value};

/// A byte offset as rdformat's position: 1-based line, 1-based UTF-8 byte column.
pub fn position(text: &str, offset: usize) -> Value {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count() + 1;
    json!({"line": line, "column": offset - line_start + 1})
}

fn range(text: &str, span: Span) -> Value {
    json!({"start": position(text, span.start()), "end": position(text, span.end())})
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

fn source() -> Value {
    json!({"name": "wazuh-mitre", "url": "https://github.com/wazuh-mitre/wazuh-mitre"})
}

/// rdjson (one object) or rdjsonl (one diagnostic per line).
fn emit(diagnostics: Vec<Value>, lines: bool) -> String {
    if lines {
        diagnostics.iter().map(|d| format!("{d}\n")).collect()
    } else {
        let mut s =
            serde_json::to_string_pretty(&json!({"source": source(), "diagnostics": diagnostics}))
                .expect("JSON values serialise");
        s.push('\n');
        s
    }
}

/// Lint findings; a safe fix (what `fix --write` applies) goes along as suggestions.
pub fn lint(findings: &[Finding], lines: bool) -> String {
    let diagnostics = findings
        .iter()
        .map(|f| {
            let mut d = json!({
                "message": f.message,
                "location": {"path": display_path(f.path), "range": range(f.text, f.span)},
                "severity": severity(f.severity),
                "source": source(),
                "code": {"value": f.code, "url": check_url(f.name)},
            });
            if let Some(fix) = f
                .fix
                .filter(|x| x.applicability == Applicability::Safe && !x.edits.is_empty())
            {
                d["suggestions"] = fix
                    .edits
                    .iter()
                    .map(|e| json!({"range": range(f.text, e.span), "text": e.replacement}))
                    .collect();
            }
            d
        })
        .collect();
    emit(diagnostics, lines)
}

/// A changed stretch of one file: the original bytes it replaces and the text it puts there.
#[derive(Debug, Clone, PartialEq)]
pub struct Hunk {
    pub span: Span,
    pub text: String,
}

/// Where `after` differs from `before`, line by line, each stretch as bytes of `before`.
pub fn hunks(before: &str, after: &str) -> Vec<Hunk> {
    let starts = |t: &str| -> Vec<usize> {
        let mut v = vec![0];
        v.extend(t.match_indices('\n').map(|(i, _)| i + 1));
        if *v.last().unwrap() != t.len() {
            v.push(t.len());
        }
        v
    };
    let (old, new) = (starts(before), starts(after));
    let diff = similar::TextDiff::from_lines(before, after);
    let mut out: Vec<Hunk> = Vec::new();
    let mut last_end: Option<usize> = None;
    for op in diff.ops() {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            last_end = None;
            continue;
        }
        let span = Span::new(old[o.start], old[o.end]);
        let text = &after[new[n.start]..new[n.end]];
        match (last_end, out.last_mut()) {
            // Adjacent changes (a delete next to an insert) are one stretch.
            (Some(end), Some(h)) if end == span.start() => {
                h.span = Span::new(h.span.start(), span.end());
                h.text.push_str(text);
            }
            _ => out.push(Hunk {
                span,
                text: text.to_string(),
            }),
        }
        last_end = Some(span.end());
    }
    out
}

/// The message for a stretch: every fix applied to the rule it touches.
fn message(applied: &[&Applied]) -> String {
    let mut out = Vec::new();
    for a in applied {
        if a.reasons.is_empty() {
            out.push(format!("{}: {}", a.code, a.description));
        } else {
            out.push(format!("wazuh-mitre suggests: {}", a.description));
            out.extend(a.reasons.iter().map(|r| format!("  {r}")));
        }
    }
    out.join("\n")
}

/// The rule a stretch belongs to: the one containing it, else the next one (a suppression
/// comment stands before its rule).
fn rule_of(rules: &[(Span, Option<u32>)], span: Span) -> Option<Option<u32>> {
    rules
        .iter()
        .find(|(r, _)| r.start() <= span.start() && span.start() < r.end().max(r.start() + 1))
        .or_else(|| rules.iter().find(|(r, _)| r.start() >= span.start()))
        .map(|(_, id)| *id)
}

fn file_diagnostics(f: &FixedFile) -> Vec<Value> {
    let rules: Vec<(Span, Option<u32>)> = crate::ruleset::read::parse(
        crate::ruleset::SourceFile::new(f.path.clone(), f.before.clone()),
    )
    .map(|file| file.rules.iter().map(|r| (r.span, r.id)).collect())
    .unwrap_or_default();
    hunks(&f.before, &f.after)
        .into_iter()
        .map(|h| {
            let rule = rule_of(&rules, h.span);
            let here: Vec<&Applied> = f
                .applied
                .iter()
                .filter(|a| rule.is_none_or(|id| a.rule_id == id))
                .collect();
            let here = if here.is_empty() {
                f.applied.iter().collect()
            } else {
                here
            };
            let code = here.first().map_or("fix", |a| a.code);
            let name = crate::checks::registry::find_info(code).map_or("add-tags", |i| i.name);
            let unsafe_ = here.iter().any(|a| a.applicability != Applicability::Safe);
            json!({
                "message": message(&here),
                "location": {"path": display_path(&f.path), "range": range(&f.before, h.span)},
                "severity": if unsafe_ { "INFO" } else { "WARNING" },
                "source": source(),
                "code": {"value": code, "url": check_url(name)},
                "suggestions": [{"range": range(&f.before, h.span), "text": h.text}],
            })
        })
        .collect()
}

/// Every change of a fix plan, as suggestions.
pub fn fix(plan: &FixPlan, lines: bool) -> String {
    emit(
        plan.files.iter().flat_map(file_diagnostics).collect(),
        lines,
    )
}
