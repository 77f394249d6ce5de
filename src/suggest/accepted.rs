//! Reviewed labels (`eval --accept FILE`): techniques a review accepted for a rule, counted
//! right in evaluation beside the rule's own tags.
//!
//! The format is the TSV of `../shared/adjudication/`: a header naming at least `rule_id`,
//! `technique` and `verdict`, then one judged (rule, technique) pair per line. Only rows whose
//! verdict is `acceptable` count. Evaluation data only: the suggester never reads it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The accepted techniques of each rule id, from every file given.
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    by_rule: HashMap<u32, HashSet<String>>,
    /// Rules with at least one reviewed row (any verdict): what the review covers.
    reviewed: HashSet<u32>,
}

/// Why a file of reviewed labels could not be used.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:1: the header names no `{column}` column (a TSV with rule_id, technique and verdict)", path.display())]
    MissingColumn { path: PathBuf, column: &'static str },
    #[error("{}:{line}: {message}", path.display())]
    BadRow {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl Accepted {
    /// Reads and merges `paths`.
    pub fn read(paths: &[PathBuf]) -> Result<Accepted, AcceptError> {
        let mut out = Accepted::default();
        for path in paths {
            let text = std::fs::read_to_string(path).map_err(|source| AcceptError::Read {
                path: path.clone(),
                source,
            })?;
            out.add(path, &text)?;
        }
        Ok(out)
    }

    fn add(&mut self, path: &Path, text: &str) -> Result<(), AcceptError> {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let column = |name: &'static str| {
            header
                .iter()
                .position(|h| h.trim() == name)
                .ok_or_else(|| AcceptError::MissingColumn {
                    path: path.to_path_buf(),
                    column: name,
                })
        };
        let (rule_at, technique_at, verdict_at) =
            (column("rule_id")?, column("technique")?, column("verdict")?);
        for (i, line) in lines.enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = |message: String| AcceptError::BadRow {
                path: path.to_path_buf(),
                line: i + 2,
                message,
            };
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let cell = |at: usize| {
                cells
                    .get(at)
                    .copied()
                    .ok_or_else(|| bad(format!("{} cells, fewer than the header", cells.len())))
            };
            let rule: u32 = cell(rule_at)?
                .parse()
                .map_err(|_| bad(format!("rule id `{}` is not a number", cells[rule_at])))?;
            let technique = cell(technique_at)?;
            if crate::attack::ids::classify(technique) != crate::attack::ids::IdShape::Technique {
                return Err(bad(format!("`{technique}` is not a technique id")));
            }
            self.reviewed.insert(rule);
            if cell(verdict_at)? == "acceptable" {
                self.by_rule
                    .entry(rule)
                    .or_default()
                    .insert(technique.to_string());
            }
        }
        Ok(())
    }

    /// The techniques accepted for rule `id`.
    pub fn of(&self, id: Option<u32>) -> impl Iterator<Item = &str> {
        id.and_then(|id| self.by_rule.get(&id))
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// Whether any row judged rule `id`.
    pub fn covers(&self, id: Option<u32>) -> bool {
        id.is_some_and(|id| self.reviewed.contains(&id))
    }

    pub fn is_empty(&self) -> bool {
        self.reviewed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Accepted, AcceptError> {
        let mut a = Accepted::default();
        a.add(Path::new("r.tsv"), text).map(|()| a)
    }

    #[test]
    fn only_acceptable_rows_count_and_any_row_covers_its_rule() {
        let a = parse(
            "rule_id\ttechnique\torigin\tverdict\n\
             2960\tT1098\tcandidate\tacceptable\n\
             2960\tT1136\tstock-tag\twrong\n\
             5\tT1110.001\tcandidate\tsplit\n",
        )
        .unwrap();
        assert_eq!(a.of(Some(2960)).collect::<Vec<_>>(), ["T1098"]);
        assert_eq!(a.of(Some(5)).count(), 0);
        assert!(a.covers(Some(5)) && a.covers(Some(2960)) && !a.covers(Some(6)));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("rule_id\ttechnique\n1\tT1098\n").unwrap_err();
        assert!(matches!(
            e,
            AcceptError::MissingColumn {
                column: "verdict",
                ..
            }
        ));
        let e = parse("verdict\trule_id\ttechnique\nacceptable\tx\tT1098\n").unwrap_err();
        assert_eq!(e.to_string(), "r.tsv:2: rule id `x` is not a number");
        let e = parse("verdict\trule_id\ttechnique\nacceptable\t1\tTA0001\n").unwrap_err();
        assert_eq!(e.to_string(), "r.tsv:2: `TA0001` is not a technique id");
    }
}
