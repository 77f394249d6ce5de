//! Where things are, as the protocol says it: positions in UTF-16 code units (the protocol's
//! default), documents by `file://` URI.

use crate::ruleset::model::SourceFile;
use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};

/// The byte offset of `pos` in `src` (clamped to the line's end and the text's end).
pub fn offset(src: &SourceFile, pos: Position) -> usize {
    let text = &src.text;
    let Some(start) = src.lines.line_start(pos.line as usize + 1) else {
        return text.len();
    };
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

/// The position of byte `at` in `src`: its line from the file's line index, its column
/// in UTF-16 units.
pub fn position(src: &SourceFile, at: usize) -> Position {
    let text = &src.text;
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let line = src.lines.line_col(text, at).line;
    let start = src.lines.line_start(line).unwrap_or(0);
    Position {
        line: (line - 1) as u32,
        character: text[start..at].encode_utf16().count() as u32,
    }
}

pub fn range(src: &SourceFile, start: usize, end: usize) -> Range {
    Range {
        start: position(src, start),
        end: position(src, end),
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
        let src = SourceFile::new(PathBuf::new(), "a\né𝄞x\n".to_string());
        let at = |line, character| Position { line, character };
        // 𝄞 is two UTF-16 units and four bytes.
        let x = src.text.find('x').unwrap();
        assert_eq!(position(&src, x), at(1, 3));
        assert_eq!(offset(&src, at(1, 3)), x);
        assert_eq!(offset(&src, at(1, 99)), src.text.len() - 1);
        assert_eq!(offset(&src, at(9, 0)), src.text.len());
        // Inside a character: its start.
        assert_eq!(position(&src, x - 1), at(1, 1));
        assert_eq!(position(&src, src.text.len()), at(2, 0));
    }

    #[test]
    fn uris_round_trip_with_escapes() {
        let p = Path::new("/tmp/my rules/local_rules.xml");
        let uri = uri_of(p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20rules/local_rules.xml");
        assert_eq!(path_of(&uri).unwrap(), p);
    }
}
