//! Turns the manager's XML dialect (os_xml) into text roxmltree accepts, byte for byte.
//!
//! Every change keeps the length of what it replaces, and the whole file is wrapped in one
//! synthetic root, so a position in the prepared text is the original position plus
//! [`Prepared::offset`]. Values are never read from the prepared text, only positions.

/// The synthetic root that lets files with several top-level elements parse.
const OPEN_ROOT: &str = "<wazuh-mitre-root>";
const CLOSE_ROOT: &str = "</wazuh-mitre-root>";

pub struct Prepared {
    pub text: String,
    /// Original byte `i` is prepared byte `i + offset`.
    pub offset: usize,
}

impl Prepared {
    /// Maps a prepared byte offset back to the original text (clamped into it).
    pub fn to_original(&self, prepared: usize, original_len: usize) -> usize {
        prepared.saturating_sub(self.offset).min(original_len)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Text,
    Tag,
    TagQuoted(u8),
    Comment,
    Cdata,
}

/// Prepares `original` for roxmltree. Handles: a BOM, an XML declaration, several top-level
/// elements, `\<` (os_xml's literal `<`), `--` inside comments, a bare `&`, and `<` inside
/// attribute values.
pub fn prepare(original: &str) -> Prepared {
    let src = original.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(src.len() + OPEN_ROOT.len() + CLOSE_ROOT.len());
    out.extend_from_slice(OPEN_ROOT.as_bytes());
    let offset = out.len();
    let mut state = State::Text;
    let mut i = 0;
    // A BOM is not text inside the synthetic root: blank it.
    if src.starts_with("\u{feff}".as_bytes()) {
        out.extend_from_slice(b"   ");
        i = 3;
    }
    while i < src.len() {
        let c = src[i];
        let rest = &src[i..];
        match state {
            State::Text => {
                // Plain text is most of a file: copy it in one go up to the next `<` or `&`.
                let plain = memchr::memchr2(b'<', b'&', rest).unwrap_or(rest.len());
                if plain > 0 {
                    out.extend_from_slice(&rest[..plain]);
                    i += plain;
                    continue;
                }
                if c == b'<' {
                    if escaped_by_backslash(src, i) {
                        // os_xml reads `\<` as a literal `<` (but `\\<` is a backslash, then a tag).
                        out.push(b'_');
                    } else if rest.starts_with(b"<!--") {
                        out.extend_from_slice(b"<!--");
                        i += 4;
                        state = State::Comment;
                        continue;
                    } else if rest.starts_with(b"<![CDATA[") {
                        out.extend_from_slice(b"<![CDATA[");
                        i += 9;
                        state = State::Cdata;
                        continue;
                    } else if rest.starts_with(b"<?") {
                        // The XML declaration may not stand inside the synthetic root; any
                        // processing instruction means nothing to the manager either.
                        let end = find(rest, b"?>").map(|e| e + 2).unwrap_or(rest.len());
                        blank(&mut out, &rest[..end]);
                        i += end;
                        continue;
                    } else if rest.starts_with(b"<!") {
                        // A DOCTYPE or other declaration: the manager ignores it; so do we.
                        let end = find(rest, b">").map(|e| e + 1).unwrap_or(rest.len());
                        blank(&mut out, &rest[..end]);
                        i += end;
                        continue;
                    } else {
                        out.push(c);
                        state = State::Tag;
                    }
                } else if c == b'&' {
                    out.push(if is_entity_ref(rest) { c } else { b'_' });
                } else {
                    out.push(c);
                }
            }
            State::Tag => {
                // Names and attributes: copy up to the next quote or `>` in one go.
                let plain = memchr::memchr3(b'"', b'\'', b'>', rest).unwrap_or(rest.len());
                if plain > 0 {
                    out.extend_from_slice(&rest[..plain]);
                    i += plain;
                    continue;
                }
                if c == b'"' || c == b'\'' {
                    state = State::TagQuoted(c);
                } else if c == b'>' {
                    state = State::Text;
                }
                out.push(c);
            }
            State::TagQuoted(q) => {
                let plain = memchr::memchr3(q, b'<', b'&', rest).unwrap_or(rest.len());
                if plain > 0 {
                    out.extend_from_slice(&rest[..plain]);
                    i += plain;
                    continue;
                }
                if c == q {
                    state = State::Tag;
                    out.push(c);
                } else if c == b'<' {
                    out.push(b'_');
                } else if c == b'&' {
                    out.push(if is_entity_ref(rest) { c } else { b'_' });
                } else {
                    out.push(c);
                }
            }
            State::Comment => {
                let plain = memchr::memchr(b'-', rest).unwrap_or(rest.len());
                if plain > 0 {
                    out.extend_from_slice(&rest[..plain]);
                    i += plain;
                    continue;
                }
                if rest.starts_with(b"-->") {
                    out.extend_from_slice(b"-->");
                    i += 3;
                    state = State::Text;
                    continue;
                }
                // `--` is not allowed inside an XML comment; os_xml does not mind.
                out.push(if c == b'-' { b'_' } else { c });
            }
            State::Cdata => {
                if rest.starts_with(b"]]>") {
                    out.extend_from_slice(b"]]>");
                    i += 3;
                    state = State::Text;
                    continue;
                }
                out.push(c);
            }
        }
        i += 1;
    }
    out.extend_from_slice(CLOSE_ROOT.as_bytes());
    // Only ASCII bytes were replaced by ASCII bytes, and only at ASCII positions.
    let text = String::from_utf8(out).expect("replacements keep UTF-8 valid");
    Prepared { text, offset }
}

/// An odd run of backslashes right before `i` escapes the byte at `i`.
fn escaped_by_backslash(src: &[u8], i: usize) -> bool {
    src[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Replaces bytes with spaces, keeping line breaks (and multi-byte characters' length).
fn blank(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend(
        bytes
            .iter()
            .map(|&b| if b == b'\n' || b == b'\r' { b } else { b' ' }),
    );
}

/// `&name;`, `&#123;` or `&#x1F;` among XML's predefined entities.
fn is_entity_ref(rest: &[u8]) -> bool {
    let Some(end) = rest.iter().take(12).position(|&b| b == b';') else {
        return false;
    };
    let body = &rest[1..end];
    match body {
        b"lt" | b"gt" | b"amp" | b"quot" | b"apos" => true,
        [b'#', b'x', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(s: &str) -> bool {
        roxmltree::Document::parse(&prepare(s).text).is_ok()
    }

    #[test]
    fn keeps_length_and_positions() {
        let s = "\u{feff}<?xml version=\"1.0\"?>\r\n<group name='a'>&x \\< <!-- a -- b --></group><group/>";
        let p = prepare(s);
        assert_eq!(p.text.len(), s.len() + OPEN_ROOT.len() + CLOSE_ROOT.len());
        assert_eq!(&p.text[p.offset + 24..p.offset + 30], &s[24..30]);
        assert!(parses(s));
    }

    #[test]
    fn accepts_the_os_xml_dialect() {
        assert!(parses("<a>x</a><b>y</b>"));
        assert!(parses("<a>R&D \\<b\\></a>"));
        assert!(parses("<!-- -- --><a/>"));
        assert!(parses("<a>E:\\\\</a>"));
        assert!(parses("<a b='1 < 2'>&amp; &lt;</a>"));
        assert!(!parses("<a><b></a>"));
    }
}
