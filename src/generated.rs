//! The shape every generated `rules-db/` table shares: one JSON value per line, so that a
//! regenerated table is compared, and reviewed, line by line.

use serde::Serialize;

/// One value as compact JSON.
pub fn line<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

/// `items`, one per line, comma-separated, each line ended.
pub fn push_lines<T: Serialize>(s: &mut String, items: &[T]) {
    for (i, item) in items.iter().enumerate() {
        s.push_str(&line(item));
        if i + 1 < items.len() {
            s.push(',');
        }
        s.push('\n');
    }
}

/// The lines of a generated table (JSON Lines: each ends with `\n`), found with SIMD `memchr`:
/// the embedded tables are read this way on every run.
pub fn lines(table: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', table.as_bytes()).map(move |end| {
        let line = &table[start..end];
        start = end + 1;
        line
    })
}
