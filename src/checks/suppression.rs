//! Inline suppression: `<!-- wazuh-mitre: ignore[missing-technique, WM104] -->` right before
//! a rule silences those checks for that rule; `<!-- wazuh-mitre: ignore -->` silences all.
//! A suppression that silences nothing is itself reported (`unused-suppression`).

use super::registry::{all_infos, selects, selects_code, Selection, UNUSED_SUPPRESSION};
use super::tags::removal_span;
use super::{Diagnostic, Edit, Fix};
use crate::ruleset::load::{Origin, Workspace};
use crate::ruleset::Span;

struct Suppression {
    file: usize,
    rule_span: Span,
    comment_span: Span,
    rule_id: Option<u32>,
    /// Empty means every check.
    selectors: Vec<String>,
    used: bool,
}

fn parse(comment: &str) -> Option<Vec<String>> {
    let rest = comment.trim().strip_prefix("wazuh-mitre:")?.trim();
    let rest = rest.strip_prefix("ignore")?.trim();
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let inner = rest.strip_prefix('[')?.split(']').next()?;
    Some(
        inner
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// Drops suppressed diagnostics, and adds one for each suppression that suppressed nothing.
///
/// A suppression is only called unused when every check it names ran: silencing a check
/// that `--select` left out is not a mistake.
pub fn apply(
    ws: &Workspace,
    diagnostics: Vec<Diagnostic>,
    selection: &Selection,
) -> Vec<Diagnostic> {
    let report_unused = selection.enabled(&UNUSED_SUPPRESSION);
    let all_ran = |selectors: &[String]| {
        let infos = all_infos();
        if selectors.is_empty() {
            return infos.iter().all(|i| selection.enabled(i));
        }
        selectors.iter().all(|s| {
            infos
                .iter()
                .filter(|i| selects(s, i))
                .all(|i| selection.enabled(i))
        })
    };
    let mut sups: Vec<Suppression> = Vec::new();
    for (file, lf) in ws.files.iter().enumerate() {
        if lf.origin != Origin::Linted {
            continue;
        }
        for rule in &lf.file.rules {
            for c in &rule.leading_comments {
                if let Some(selectors) = parse(&c.value) {
                    sups.push(Suppression {
                        file,
                        rule_span: rule.span,
                        comment_span: c.span,
                        rule_id: rule.id,
                        selectors,
                        used: false,
                    });
                }
            }
        }
    }
    if sups.is_empty() {
        return diagnostics;
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let hit = sups.iter_mut().find(|s| {
            s.file == d.file
                && s.rule_span.contains(d.span)
                && (s.selectors.is_empty()
                    || s.selectors.iter().any(|x| selects_code(x, d.code, d.name)))
        });
        match hit {
            Some(s) => s.used = true,
            None => kept.push(d),
        }
    }
    if report_unused {
        for s in sups.iter().filter(|s| !s.used && all_ran(&s.selectors)) {
            let what = if s.selectors.is_empty() {
                "anything".to_string()
            } else {
                s.selectors.join(", ")
            };
            let text = &ws.files[s.file].file.source.text;
            kept.push(Diagnostic {
                code: UNUSED_SUPPRESSION.code,
                name: UNUSED_SUPPRESSION.name,
                severity: UNUSED_SUPPRESSION.severity,
                file: s.file,
                span: s.comment_span,
                rule_id: s.rule_id,
                message: format!("this suppression of {what} suppresses nothing"),
                fix: Some(Fix::safe(
                    "remove the comment",
                    vec![Edit::delete(removal_span(text, s.comment_span))],
                )),
            });
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn comments_that_suppress() {
        assert_eq!(parse(" wazuh-mitre: ignore "), Some(vec![]));
        assert_eq!(
            parse(" wazuh-mitre: ignore[missing-technique, WM104] "),
            Some(vec!["missing-technique".to_string(), "WM104".to_string()])
        );
        assert_eq!(parse(" just a comment "), None);
    }
}
