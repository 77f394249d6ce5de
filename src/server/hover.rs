//! Hover on a technique or tactic id: what `wazuh-mitre attack show` says of it, with its
//! standing in the manager's ATT&CK.

use crate::attack::ids::{classify, IdShape};
use crate::attack::{lookup, AttackDb};
use crate::report::attack as render;
use crate::ruleset::model::SourceFile;
use lsp_types as lsp;

/// The id-like word around byte `at` (letters, digits, dots), with its byte range.
pub fn word_at(text: &str, at: usize) -> Option<(&str, usize, usize)> {
    let is_id = |b: u8| b.is_ascii_alphanumeric() || b == b'.';
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let start = (0..at)
        .rev()
        .take_while(|&i| is_id(bytes[i]))
        .last()
        .unwrap_or(at);
    let end = (at..bytes.len())
        .find(|&i| !is_id(bytes[i]))
        .unwrap_or(bytes.len());
    (start < end).then(|| (&text[start..end], start, end))
}

/// The hover text for the id at byte `at`, if there is one. `manager`: the manager's
/// ATT&CK version name.
pub fn hover(db: &AttackDb, manager: &str, src: &SourceFile, at: usize) -> Option<lsp::Hover> {
    let (word, start, end) = word_at(&src.text, at)?;
    let id = word.trim_end_matches('.').to_ascii_uppercase();
    let latest = db.latest();
    let body = match classify(&id) {
        IdShape::Technique => {
            let mut body = match lookup::technique(db, latest, &id) {
                Ok(view) => render::technique_human(&view),
                Err(missing) => render::not_found(&missing),
            };
            let standing = match db.version(manager).ok().and_then(|m| m.technique(&id)) {
                Some(t) => format!("{} there", t.status.as_str()),
                None => "unknown there: the manager cannot resolve it".into(),
            };
            body.push_str(&format!(
                "\nWazuh 4.x managers resolve ids against ATT&CK {manager}: {standing}.\n"
            ));
            body
        }
        IdShape::Tactic => match lookup::tactic(db, latest, &id) {
            Ok(view) => render::tactic_human(&view),
            Err(missing) => render::not_found(&missing),
        },
        _ => return None,
    };
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: format!("```text\n{}\n```", body.trim_end()),
        }),
        range: Some(super::position::range(src, start, end)),
    })
}
