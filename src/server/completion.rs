//! Completion inside `<id>`: technique ids and names matching what is typed; the rule's own
//! suggestions first, then what the manager's ATT&CK knows, then the rest.

use crate::attack::model::Status;
use crate::attack::AttackDb;
use crate::suggest::Suggestion;
use lsp_types as lsp;

/// What is typed inside an `<id>` element before byte `at`, with its start; `None` outside.
pub fn typed_id(text: &str, at: usize) -> Option<(&str, usize)> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    let open = before.rfind("<id>")?;
    let typed = &before[open + "<id>".len()..];
    if typed.contains('<') {
        return None;
    }
    let trimmed = typed.trim_start();
    Some((trimmed, at - trimmed.len()))
}

/// The items for `typed` (replacing `range`). `suggested`: the rule's ranked suggestions.
pub fn items(
    db: &AttackDb,
    manager: &str,
    typed: &str,
    range: lsp::Range,
    suggested: &[Suggestion],
) -> Vec<lsp::CompletionItem> {
    let wanted = typed.to_ascii_lowercase();
    let known_to_manager = |id: &str| {
        db.version(manager)
            .ok()
            .and_then(|m| m.technique(id))
            .is_some_and(|t| t.status == Status::Active)
    };
    let mut out = Vec::new();
    for t in db
        .latest()
        .techniques()
        .filter(|t| t.status == Status::Active)
    {
        let by_id = t.id.to_ascii_lowercase().starts_with(&wanted);
        let by_name = wanted.len() >= 3 && t.name.to_ascii_lowercase().contains(&wanted);
        if !(by_id || by_name) {
            continue;
        }
        let rank = suggested.iter().position(|s| s.technique == t.id);
        let group = match rank {
            Some(r) => format!("0{r:02}"),
            None if known_to_manager(&t.id) => "1".into(),
            None => "2".into(),
        };
        let detail = match rank {
            Some(r) => format!(
                "{} (suggested: {:.2} {})",
                t.name,
                suggested[r].score,
                suggested[r].confidence.as_str()
            ),
            None if known_to_manager(&t.id) => t.name.clone(),
            None => format!("{} (unknown to the manager's ATT&CK {manager})", t.name),
        };
        out.push(lsp::CompletionItem {
            label: t.id.clone(),
            kind: Some(lsp::CompletionItemKind::VALUE),
            detail: Some(detail),
            sort_text: Some(format!("{group}{}", t.id)),
            filter_text: Some(format!("{} {}", t.id, t.name)),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                range,
                new_text: t.id.clone(),
            })),
            ..lsp::CompletionItem::default()
        });
    }
    out.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    out
}
