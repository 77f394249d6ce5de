//! The stock Wazuh 4.14.7 ruleset, embedded as facts: the default ruleset where none is given
//! and no manager is installed (pre-commit, CI), so that "parent exists nowhere", "group
//! carried by no rule" and parent-tag evidence work there too.
//!
//! `rules-db/stock/wazuh-4.14.7.json` is generated from `ruleset/rules` of Wazuh 4.14.7 (by
//! `gen-rules-db`, with our own reader) and holds, per file in load order, each rule's id,
//! level, the attributes that change loading (`noalert`, `overwrite`), its groups, parents,
//! options and ATT&CK ids: no descriptions, no match logic.

use super::model::*;
use super::read::{read_path, split_list};
use super::span::Span;
use crate::generated::{line, push_lines};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The embedded index.
const INDEX: &str = include_str!("../../rules-db/stock/wazuh-4.14.7.json");
/// Where the generator reads the stock rules, inside `../shared`.
pub const SHARED_RULES: &str = "corpus/wazuh-4.14.7/rules";
/// Provenance written into the index.
pub const SOURCE: &str = "github.com/wazuh/wazuh tag v4.14.7 (a42268a27c555d9348d5598fb8751eaf4c8e9024), ruleset/rules, GPLv2";
/// What the index stands for, as shown in paths of its rules.
pub const LABEL: &str = "<embedded Wazuh 4.14.7 ruleset>";

#[derive(Debug, Serialize, Deserialize)]
struct IndexRule {
    id: u32,
    level: i64,
    #[serde(default, skip_serializing_if = "is_false")]
    noalert: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    overwrite: bool,
    /// The enclosing `<group name>` names.
    enclosing: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<String>,
    /// `[element, value]` pairs: `if_sid`, `if_matched_sid`, `if_group`, `if_matched_group`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parents: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    options: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The index file's text, generated from the stock `rules` folder (one rule per line).
pub fn generate(rules_dir: &Path, source: &str) -> Result<String, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(rules_dir)
        .map_err(|e| format!("cannot read {}: {e}", rules_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    // One line per file entry's start and per rule: the binary finds entries by this layout
    // (see `lazy_files`).
    let mut out = format!("{{\"source\":{},\"files\":[\n", line(source));
    for (i, path) in paths.iter().enumerate() {
        let file = read_path(path).map_err(|e| format!("{}: {}", path.display(), e.error))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        out.push_str(&format!("{{\"file\":{},\"rules\":[\n", line(&name)));
        let rules: Vec<IndexRule> = file.rules.iter().filter_map(index_rule).collect();
        push_lines(&mut out, &rules);
        out.push_str(if i + 1 < paths.len() { "]},\n" } else { "]}\n" });
    }
    out.push_str("]}\n");
    Ok(out)
}

fn index_rule(r: &Rule) -> Option<IndexRule> {
    Some(IndexRule {
        id: r.id?,
        level: r.level?,
        noalert: r.noalert,
        overwrite: r.overwrite,
        enclosing: r.enclosing_groups.join(","),
        groups: r.groups.clone(),
        parents: r
            .parents
            .iter()
            .map(|p| (p.kind.element().to_string(), p.value.clone()))
            .collect(),
        options: r.options.clone(),
        tags: r.tagged_ids(),
    })
}

/// One file's entry in the index: its name, and its rules array, parsed only when used.
struct LazyFile {
    file: String,
    rules: &'static str,
}

/// The file entries, found by the generator's layout rather than by reading the whole table
/// as JSON (which a one-file lint paid on every run): each entry starts a line with
/// `{"file":` and that line ends with its rules array's `[`; the array ends at the entry's
/// last `]`. The regeneration test keeps the table in this layout.
fn lazy_files() -> Vec<LazyFile> {
    const START: &str = "\n{\"file\":";
    let mut starts: Vec<usize> = INDEX.match_indices(START).map(|(i, _)| i + 1).collect();
    let end = INDEX
        .rfind("\n]}")
        .expect("the embedded stock index is complete");
    starts.push(end);
    starts
        .windows(2)
        .map(|w| {
            let entry = &INDEX[w[0]..w[1]];
            let first = entry.split_once('\n').map_or(entry, |(first, _)| first);
            #[derive(Deserialize)]
            struct Name {
                file: String,
            }
            let name: Name = serde_json::from_str(&format!("{first}]}}"))
                .expect("the embedded stock index is valid");
            let open = first.len() - 1;
            let close = entry.rfind(']').expect("the embedded stock index is valid");
            LazyFile {
                file: name.file,
                rules: &entry[open..=close],
            }
        })
        .collect()
}

/// The embedded stock files, as ruleset files, except those whose file names are in
/// `replaced` (stock files the user lints themselves stand in for their own entries).
pub fn embedded_files(replaced: &[&str]) -> Vec<RuleFile> {
    let files = lazy_files();
    // Linting every stock file itself uses none of the table.
    if files.iter().all(|f| replaced.contains(&f.file.as_str())) {
        return Vec::new();
    }
    // Files parse on all cores: on a small file, this is most of the run.
    files
        .into_par_iter()
        .filter(|f| !replaced.contains(&f.file.as_str()))
        .map(|f| {
            let path = Path::new(LABEL).join(&f.file);
            let rules: Vec<IndexRule> =
                serde_json::from_str(f.rules).expect("the embedded stock index is valid");
            let mut enclosing_cache: Option<(String, Arc<[String]>)> = None;
            let rules = rules
                .into_iter()
                .map(|r| {
                    let enclosing = match &enclosing_cache {
                        Some((k, v)) if *k == r.enclosing => v.clone(),
                        _ => {
                            let v: Arc<[String]> = split_list(&r.enclosing, &[','])
                                .into_iter()
                                .map(|(s, _)| s.to_string())
                                .collect();
                            enclosing_cache = Some((r.enclosing.clone(), v.clone()));
                            v
                        }
                    };
                    rule_from(r, enclosing)
                })
                .collect();
            RuleFile {
                source: SourceFile::new(path, String::new()),
                kind: FileKind::Rules,
                rules,
                structure_problems: Vec::new(),
                salvaged: false,
                not_utf8_at: None,
                directives: Vec::new(),
            }
        })
        .collect()
}

fn rule_from(r: IndexRule, enclosing: Arc<[String]>) -> Rule {
    let none = Span::default();
    let kind = |e: &str| match e {
        "if_sid" => ParentKind::IfSid,
        "if_matched_sid" => ParentKind::IfMatchedSid,
        "if_group" => ParentKind::IfGroup,
        _ => ParentKind::IfMatchedGroup,
    };
    let mitre = if r.tags.is_empty() {
        Vec::new()
    } else {
        vec![MitreBlock {
            span: none,
            entries: r
                .tags
                .into_iter()
                .map(|t| MitreEntry {
                    kind: MitreEntryKind::Id,
                    value: t,
                    span: none,
                    value_span: none,
                })
                .collect(),
        }]
    };
    Rule {
        span: none,
        open_tag: none,
        id: Some(r.id),
        level: Some(r.level),
        attributes: Vec::new(),
        overwrite: r.overwrite,
        noalert: r.noalert,
        parents: r
            .parents
            .into_iter()
            .map(|(e, v)| ParentRef {
                kind: kind(&e),
                value: v,
                span: none,
            })
            .collect(),
        description: None,
        groups: r.groups,
        enclosing_groups: enclosing,
        fields: Vec::new(),
        options: r.options,
        info: Vec::new(),
        mitre,
        insert_after: None,
        leading_comments: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout-based split finds what a full JSON parse of the table finds.
    #[test]
    fn file_entries_split_by_layout_are_those_of_the_json() {
        #[derive(Deserialize)]
        struct Index {
            files: Vec<File>,
        }
        #[derive(Deserialize)]
        struct File {
            file: String,
            rules: Vec<serde_json::Value>,
        }
        let index: Index = serde_json::from_str(INDEX).unwrap();
        let lazy = lazy_files();
        assert_eq!(lazy.len(), index.files.len());
        for (l, f) in lazy.iter().zip(&index.files) {
            assert_eq!(l.file, f.file);
            let rules: Vec<serde_json::Value> = serde_json::from_str(l.rules).unwrap();
            assert_eq!(rules, f.rules, "{}", f.file);
        }
        assert!(index.files.iter().map(|f| f.rules.len()).sum::<usize>() > 4000);
    }
}
