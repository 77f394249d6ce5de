//! Applying byte edits to a file's original text.

use crate::checks::Edit;

/// Applies non-overlapping edits (in start order); an edit that overlaps one already taken
/// is left for the next pass and returned.
pub fn apply(text: &str, mut edits: Vec<Edit>) -> (String, Vec<Edit>) {
    edits.sort_by_key(|e| (e.span.start(), e.span.end()));
    edits.dedup();
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    let mut left = Vec::new();
    for e in edits {
        // An edit inside bytes another edit already changed must wait for the next pass.
        if e.span.start() < at {
            left.push(e);
            continue;
        }
        out.push_str(&text[at..e.span.start()]);
        out.push_str(&e.replacement);
        at = e.span.end();
    }
    out.push_str(&text[at..]);
    (out, left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::Span;

    #[test]
    fn edits_apply_in_order_and_overlaps_wait() {
        let t = "<id>t1059</id><id>T1086</id>";
        let edits = vec![
            Edit::replace(Span::new(18, 23), "T1059.001"),
            Edit::replace(Span::new(4, 9), "T1059"),
            Edit::delete(Span::new(14, 28)),
        ];
        let (out, left) = apply(t, edits);
        assert_eq!(out, "<id>T1059</id>");
        assert_eq!(left, vec![Edit::replace(Span::new(18, 23), "T1059.001")]);
        let (out, left) = apply(t, vec![Edit::replace(Span::new(18, 23), "T1059.001")]);
        assert_eq!(out, "<id>t1059</id><id>T1059.001</id>");
        assert!(left.is_empty());
    }
}
