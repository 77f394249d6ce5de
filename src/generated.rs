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
