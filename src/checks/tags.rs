//! Helpers shared by the technique checks: walking a rule's tags, and whole-line removals.

use crate::attack::ids::{classify, IdShape};
use crate::attack::model::{Status, Technique};
use crate::attack::AttackVersion;
use crate::ruleset::{MitreEntry, Rule, Span};

/// One technique entry (`<id>` or `<techniqueID>`) of a rule.
pub struct Tag<'a> {
    pub entry: &'a MitreEntry,
    pub shape: IdShape,
}

impl Tag<'_> {
    /// The id this entry stands for, when it is or normalises to a technique id.
    pub fn technique_id(&self) -> Option<&str> {
        match &self.shape {
            IdShape::Technique => Some(self.entry.value.as_str()),
            IdShape::Normalisable(id) => Some(id.as_str()),
            _ => None,
        }
    }
}

/// Every `<id>`/`<techniqueID>` entry with non-empty text, in file order.
pub fn technique_tags(rule: &Rule) -> impl Iterator<Item = Tag<'_>> {
    rule.mitre.iter().flat_map(|block| {
        block
            .technique_entries()
            .filter(|e| !e.value.trim().is_empty())
            .map(|entry| Tag {
                entry,
                shape: classify(&entry.value),
            })
    })
}

/// Tags whose technique has `status` in `version`, with that technique (whose `id` is the
/// tag's id, normalised).
pub fn tags_with_status<'a>(
    rule: &'a Rule,
    version: &'a AttackVersion,
    status: Status,
) -> impl Iterator<Item = (Tag<'a>, &'a Technique)> {
    technique_tags(rule).filter_map(move |tag| {
        let t = version.technique(tag.technique_id()?)?;
        (t.status == status).then_some((tag, t))
    })
}

/// The span to delete to remove `span`: its whole line when nothing else stands on it.
pub fn removal_span(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let mut start = span.start();
    while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
        start -= 1;
    }
    let mut end = span.end();
    while end < bytes.len() && matches!(bytes[end], b' ' | b'\t') {
        end += 1;
    }
    let at_line_start = start == 0 || bytes[start - 1] == b'\n';
    let line_end = if text[end..].starts_with("\r\n") {
        Some(end + 2)
    } else if text[end..].starts_with('\n') {
        Some(end + 1)
    } else if end == bytes.len() {
        Some(end)
    } else {
        None
    };
    match (at_line_start, line_end) {
        (true, Some(e)) => Span::new(start, e),
        _ => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_the_whole_line_only_when_alone_on_it() {
        let t = "<mitre>\r\n    <id>T1</id>\r\n</mitre>";
        let s = t.find("<id>").unwrap();
        let r = removal_span(t, Span::new(s, s + 11));
        assert_eq!(&t[r.start()..r.end()], "    <id>T1</id>\r\n");
        let t2 = "<mitre><id>T1</id><id>T2</id></mitre>";
        let s = t2.find("<id>T2").unwrap();
        assert_eq!(removal_span(t2, Span::new(s, s + 11)), Span::new(s, s + 11));
    }
}
