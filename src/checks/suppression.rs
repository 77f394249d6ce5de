//! Inline suppression: `<!-- wazuh-mitre: ignore[missing-technique, WM104] -->` right before
//! a rule silences those checks for that rule; `<!-- wazuh-mitre: ignore -->` silences all.
//!
//! ## unused-suppression (WM210)
//!
//! **What it finds:** a suppression that does nothing: one that silences nothing, each code
//! of a list that silences nothing, a code no check has, a misspelt directive
//! (`wazuh-mitre: ignroe[...]`), and one that stands where it applies to no rule (inside a
//! `<rule>`, or before none). A code is only called unused when every check it names ran:
//! silencing a check that `--select` left out is not a mistake.
//!
//! **Why it matters:** like ruff's RUF100, it keeps suppressions from hiding silently: a
//! suppression left behind after a fix would hide the next real finding on that rule.
//!
//! **Example:** `<!-- wazuh-mitre: ignore[WM104] -->` before a rule whose ids are current.
//!
//! **Fix (safe):** remove the comment, or the idle code from its list.

use super::registry::{all_infos, selects, selects_code, Selection, UNUSED_SUPPRESSION};
use super::tags::removal_span;
use super::{Diagnostic, Edit, Fix};
use crate::ruleset::load::{Origin, Workspace};
use crate::ruleset::{Span, Spanned};

/// One code or name inside `ignore[...]`.
#[derive(Debug, Clone, PartialEq)]
struct Selector {
    text: String,
    known: bool,
    used: bool,
}

/// What a `wazuh-mitre:` comment says.
#[derive(Debug, PartialEq)]
enum Directive {
    /// `ignore` (no selectors: every check) or `ignore[...]`, with where the list stands.
    Ignore {
        selectors: Vec<String>,
        list: Option<Span>,
    },
    /// Anything else after `wazuh-mitre:`.
    Malformed(String),
}

/// Reads a comment's text (between its markers); `offset` is where that text starts.
fn parse(comment: &str, offset: usize) -> Option<Directive> {
    let start = comment.len() - comment.trim_start().len();
    let rest = comment.trim_start().strip_prefix("wazuh-mitre:")?;
    let after_colon = offset + start + "wazuh-mitre:".len();
    let body = rest.trim();
    let Some(args) = body.strip_prefix("ignore") else {
        return Some(Directive::Malformed(body.to_string()));
    };
    let args_trimmed = args.trim();
    if args_trimmed.is_empty() {
        return Some(Directive::Ignore {
            selectors: Vec::new(),
            list: None,
        });
    }
    let (Some(inner), true) = (
        args_trimmed
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']')),
        args_trimmed.matches('[').count() == 1,
    ) else {
        return Some(Directive::Malformed(body.to_string()));
    };
    let inner_at = after_colon + rest.find('[').expect("checked above") + 1;
    Some(Directive::Ignore {
        selectors: inner
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        list: Some(Span::new(inner_at, inner_at + inner.len())),
    })
}

/// Where a comment's text starts (after `<!--`, or `<!` for os_xml's short form).
fn text_offset(text: &str, comment: &Spanned<String>) -> usize {
    let raw = comment.span.slice(text);
    comment.span.start() + if raw.starts_with("<!--") { 4 } else { 2 }
}

struct Suppression {
    file: usize,
    rule_span: Span,
    comment_span: Span,
    rule_id: Option<u32>,
    /// Empty means every check.
    selectors: Vec<Selector>,
    list: Option<Span>,
    used: bool,
}

/// Drops suppressed diagnostics, and reports every suppression, or part of one, that does
/// nothing.
///
/// A code is only called unused when every check it names ran: silencing a check that
/// `--select` left out is not a mistake.
pub fn apply(
    ws: &Workspace,
    diagnostics: Vec<Diagnostic>,
    selection: &Selection,
) -> Vec<Diagnostic> {
    let (mut sups, misplaced) = read_directives(ws);
    if sups.is_empty() && misplaced.is_empty() {
        return diagnostics;
    }
    let mut kept = suppress(diagnostics, &mut sups);
    if selection.enabled(&UNUSED_SUPPRESSION) {
        kept.extend(misplaced);
        kept.extend(unused(ws, &sups, selection));
    }
    kept
}

/// A finding of `unused-suppression`.
fn report(file: usize, span: Span, rule_id: Option<u32>, message: String, fix: Fix) -> Diagnostic {
    Diagnostic {
        check: &UNUSED_SUPPRESSION,
        severity: UNUSED_SUPPRESSION.severity,
        file,
        span,
        rule_id,
        rule: None,
        message: message.into(),
        fix: Some(std::sync::Arc::new(fix)),
    }
}

/// The linted files' suppressions, each with the rule it stands before; and findings for
/// directives that suppress nothing where they are (malformed, before no rule).
fn read_directives(ws: &Workspace) -> (Vec<Suppression>, Vec<Diagnostic>) {
    let infos = all_infos();
    let mut sups: Vec<Suppression> = Vec::new();
    let mut findings: Vec<Diagnostic> = Vec::new();
    for (file, lf) in ws.files.iter().enumerate() {
        if lf.origin != Origin::Linted || lf.file.salvaged {
            continue;
        }
        let text = &lf.file.source.text;
        for directive in &lf.file.directives {
            let before = lf
                .file
                .rules
                .iter()
                .find(|r| r.leading_comments.contains(&directive.span));
            let parsed = parse(&directive.value, text_offset(text, directive));
            let inside = lf
                .file
                .rules
                .iter()
                .find(|r| r.span.contains(directive.span));
            match (parsed, before) {
                (Some(Directive::Malformed(body)), _) => findings.push(report(
                    file,
                    directive.span,
                    before.or(inside).and_then(|r| r.id),
                    format!(
                        "`wazuh-mitre: {body}` is not a suppression (write `wazuh-mitre: ignore[CODE, ...]` or `wazuh-mitre: ignore`): it suppresses nothing"
                    ),
                    Fix::display_only("write `wazuh-mitre: ignore[CODE, ...]`"),
                )),
                (Some(Directive::Ignore { .. }), None) => findings.push(report(
                    file,
                    directive.span,
                    inside.and_then(|r| r.id),
                    if inside.is_some() {
                        "a suppression inside <rule> suppresses nothing: put it right before the <rule> it is for".to_string()
                    } else {
                        "this suppression stands before no <rule>: it suppresses nothing".to_string()
                    },
                    Fix::display_only("move it right before the <rule> it is for"),
                )),
                (Some(Directive::Ignore { selectors, list }), Some(rule)) => {
                    sups.push(Suppression {
                        file,
                        rule_span: rule.span,
                        comment_span: directive.span,
                        rule_id: rule.id,
                        selectors: selectors
                            .into_iter()
                            .map(|s| Selector {
                                known: infos.iter().any(|i| selects(&s, i)),
                                text: s,
                                used: false,
                            })
                            .collect(),
                        list,
                        used: false,
                    })
                }
                (None, _) => {}
            }
        }
    }
    (sups, findings)
}

/// The diagnostics no suppression covers; each suppression and selector notes its use.
fn suppress(diagnostics: Vec<Diagnostic>, sups: &mut [Suppression]) -> Vec<Diagnostic> {
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let hit = sups.iter_mut().find(|s| {
            s.file == d.file
                && s.rule_span.contains(d.span)
                && (s.selectors.is_empty()
                    || s.selectors
                        .iter()
                        .any(|x| selects_code(&x.text, d.code(), d.name())))
        });
        match hit {
            Some(s) => {
                s.used = true;
                for x in s.selectors.iter_mut() {
                    if selects_code(&x.text, d.code(), d.name()) {
                        x.used = true;
                    }
                }
            }
            None => kept.push(d),
        }
    }
    kept
}

/// Findings for suppressions, or codes in them, that suppressed nothing: only where the
/// checks they name ran, so that `--select` never makes a needed suppression look idle.
fn unused(ws: &Workspace, sups: &[Suppression], selection: &Selection) -> Vec<Diagnostic> {
    let infos = all_infos();
    let mut out = Vec::new();
    for s in sups {
        let text = &ws.files[s.file].file.source.text;
        // The whole comment does nothing: it is reported once, with a fix that removes it.
        let unused_comment = |msg: String| {
            let fix = Fix::safe(
                "remove the comment",
                vec![Edit::delete(removal_span(text, s.comment_span))],
            );
            report(s.file, s.comment_span, s.rule_id, msg, fix)
        };
        if s.selectors.is_empty() {
            if !s.used && infos.iter().all(|i| selection.enabled(i)) {
                out.push(unused_comment(
                    "this suppression of anything suppresses nothing".to_string(),
                ));
            }
            continue;
        }
        // Codes that do nothing: unknown ones, and known ones whose checks ran and found nothing.
        let idle: Vec<&Selector> = s
            .selectors
            .iter()
            .filter(|x| !x.known || (!x.used && selection.runs_all(&x.text)))
            .collect();
        if idle.is_empty() {
            continue;
        }
        let why = |x: &Selector| {
            if x.known {
                format!("`{}` suppresses nothing here", x.text)
            } else {
                format!(
                    "`{}` is no check code or name (see `wazuh-mitre rules`)",
                    x.text
                )
            }
        };
        if idle.len() == s.selectors.len() {
            let names: Vec<&str> = idle.iter().map(|x| x.text.as_str()).collect();
            let unknown: Vec<String> = idle.iter().filter(|x| !x.known).map(|x| why(x)).collect();
            let mut msg = format!(
                "this suppression of {} suppresses nothing",
                names.join(", ")
            );
            if !unknown.is_empty() {
                msg.push_str(&format!(" ({})", unknown.join("; ")));
            }
            out.push(unused_comment(msg));
            continue;
        }
        let rest: Vec<&str> = s
            .selectors
            .iter()
            .filter(|x| !idle.contains(x))
            .map(|x| x.text.as_str())
            .collect();
        for x in &idle {
            let fix = match s.list {
                Some(list) => Fix::safe(
                    format!("remove `{}` from the list", x.text),
                    vec![Edit::replace(list, rest.join(", "))],
                )
                .removing(),
                None => Fix::display_only(format!("remove `{}`", x.text)),
            };
            out.push(report(s.file, s.comment_span, s.rule_id, why(x), fix));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{parse, Directive};

    #[test]
    fn directives() {
        assert_eq!(
            parse(" wazuh-mitre: ignore ", 0),
            Some(Directive::Ignore {
                selectors: vec![],
                list: None
            })
        );
        let text = " wazuh-mitre: ignore[missing-technique, WM104] ";
        let Some(Directive::Ignore { selectors, list }) = parse(text, 10) else {
            panic!()
        };
        assert_eq!(selectors, ["missing-technique", "WM104"]);
        let list = list.unwrap();
        assert_eq!(
            &text[list.start() - 10..list.end() - 10],
            "missing-technique, WM104"
        );
        assert_eq!(parse(" just a comment ", 0), None);
        assert_eq!(
            parse(" wazuh-mitre: ignroe[WM102] ", 0),
            Some(Directive::Malformed("ignroe[WM102]".into()))
        );
        assert!(matches!(
            parse(" wazuh-mitre: ignore WM102 ", 0),
            Some(Directive::Malformed(_))
        ));
    }
}
