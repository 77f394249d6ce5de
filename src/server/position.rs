//! Where things are, as the protocol says it: positions in UTF-16 code units (the protocol's
//! default), documents by `file://` URI.

use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};

/// The byte offset of `pos` in `text` (clamped to the line's end and the text's end).
pub fn offset(text: &str, pos: Position) -> usize {
    let mut start = 0;
    for _ in 0..pos.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0u32;
    for (i, c) in text[start..line_end].char_indices() {
        if units >= pos.character {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

/// The position of byte `at` in `text`.
pub fn position(text: &str, at: usize) -> Position {
    let at = floor_char_boundary(text, at.min(text.len()));
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..at].encode_utf16().count() as u32;
    Position { line, character }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub fn range(text: &str, start: usize, end: usize) -> Range {
    Range {
        start: position(text, start),
        end: position(text, end),
    }
}

/// Positions of many offsets in one text: its line starts found once (a file of 2,000 rules
/// may have hundreds of findings).
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines { text, starts }
    }

    pub fn position(&self, at: usize) -> Position {
        let at = floor_char_boundary(self.text, at.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= at) - 1;
        let start = self.starts[line];
        Position {
            line: line as u32,
            character: self.text[start..at].encode_utf16().count() as u32,
        }
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start: self.position(start),
            end: self.position(end),
        }
    }
}

/// The path of a `file://` URI, percent-decoded; `None` for other schemes.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|&b| hex(b)),
            bytes.get(i + 2).and_then(|&b| hex(b)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// A `file://` URI for an absolute path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\né𝄞x\n";
        let at = |line, character| Position { line, character };
        // 𝄞 is two UTF-16 units and four bytes.
        let x = text.find('x').unwrap();
        assert_eq!(position(text, x), at(1, 3));
        assert_eq!(offset(text, at(1, 3)), x);
        assert_eq!(offset(text, at(1, 99)), text.len() - 1);
        assert_eq!(offset(text, at(9, 0)), text.len());
        let lines = Lines::new(text);
        for i in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            assert_eq!(lines.position(i), position(text, i), "{i}");
        }
    }

    #[test]
    fn uris_round_trip_with_escapes() {
        let p = Path::new("/tmp/my rules/local_rules.xml");
        let uri = uri_of(p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20rules/local_rules.xml");
        assert_eq!(path_of(&uri).unwrap(), p);
    }
}
