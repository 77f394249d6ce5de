//! The atomic tests table, generated from Atomic Red Team's CSV index (`gen-rules-db`).

use super::AtomicTest;
use std::collections::BTreeMap;
use std::path::Path;

/// Where the generator reads the index, inside `../shared`.
pub const SHARED_INDEX: &str = "atomic-red-team/index-csv";
/// The per-platform index files and the platform each stands for.
const PLATFORM_FILES: &[(&str, &str)] = &[
    ("windows-index.csv", "windows"),
    ("linux-index.csv", "linux"),
    ("macos-index.csv", "macos"),
    ("office-365-index.csv", "office-365"),
    ("azure-ad-index.csv", "azure-ad"),
    ("iaas-index.csv", "iaas"),
    ("containers-index.csv", "containers"),
    ("google-workspace-index.csv", "google-workspace"),
    ("esxi-index.csv", "esxi"),
];

/// The table's text from the index folder: one test per line, sorted by technique and guid.
pub fn generate(dir: &Path) -> Result<String, String> {
    let read = |name: &str| -> Result<Vec<Vec<String>>, String> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(parse_csv(&text)
            .into_iter()
            .skip(1)
            .filter(|r| r.len() == 7)
            .collect())
    };
    let mut tests: BTreeMap<(String, String), AtomicTest> = BTreeMap::new();
    for row in read("index.csv")? {
        let (technique, name, guid, executor) = (&row[1], &row[4], &row[5], &row[6]);
        tests
            .entry((technique.clone(), guid.clone()))
            .or_insert_with(|| AtomicTest {
                technique: technique.clone(),
                guid: guid.clone(),
                name: name.clone(),
                platforms: Vec::new(),
                executor: executor.clone(),
            });
    }
    for (file, platform) in PLATFORM_FILES {
        for row in read(file)? {
            if let Some(t) = tests.get_mut(&(row[1].clone(), row[5].clone())) {
                if !t.platforms.iter().any(|p| p == platform) {
                    t.platforms.push(platform.to_string());
                }
            }
        }
    }
    let tests: Vec<&AtomicTest> = tests.values().collect();
    let mut out = String::from(
        "{\"source\":\"github.com/redcanaryco/atomic-red-team atomics/Indexes/Indexes-CSV, commit 9f85cf3e54b0cbdd6c702375c555273913eff442 (MIT)\",\"tests\":[\n",
    );
    crate::generated::push_lines(&mut out, &tests);
    out.push_str("]}\n");
    Ok(out)
}

/// RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_with_quotes_and_commas() {
        let rows = super::parse_csv("a,\"b, c\",\"d \"\"e\"\"\"\r\nx,y,z\n");
        assert_eq!(
            rows,
            vec![vec!["a", "b, c", "d \"e\""], vec!["x", "y", "z"]]
        );
    }
}
