//! Byte spans into a file's original text, and line/column lookup for them.

use serde::Serialize;

/// A byte range in a file's original text (never in a prepared copy).
///
/// Held as two `u32`s: a rule holds a dozen spans, and a migration may read 300,000 rules.
/// The reader refuses a file longer than [`MAX_FILE_LEN`] bytes, so every offset fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    start: u32,
    end: u32,
}

/// The longest file the reader takes, in bytes: 4 GiB less one, the last offset a `u32`
/// holds (the manager's own limit is far lower).
pub const MAX_FILE_LEN: usize = u32::MAX as usize;

impl Span {
    /// # Panics
    /// When an offset is beyond [`MAX_FILE_LEN`]: a bug, since no such file is read.
    pub fn new(start: usize, end: usize) -> Self {
        let offset = |at: usize| u32::try_from(at).expect("offsets fit: files are < 4 GiB");
        Span {
            start: offset(start),
            end: offset(end),
        }
    }
    pub fn start(&self) -> usize {
        self.start as usize
    }
    pub fn end(&self) -> usize {
        self.end as usize
    }
    pub fn len(&self) -> usize {
        self.end() - self.start()
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start()..self.end()]
    }
}

/// A 1-based line and column; the column counts characters, as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line, for turning byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\r\nçd\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 4), LineCol { line: 2, column: 1 });
        // 'd' comes after the two-byte 'ç'
        assert_eq!(idx.line_col(text, 6), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(text, 8), LineCol { line: 3, column: 1 });
    }
}
