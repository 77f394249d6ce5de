//! The stock Wazuh 4.14.7 ruleset, embedded as facts: the default ruleset where none is given
//! and no manager is installed (pre-commit, CI), so that "parent exists nowhere", "group
//! carried by no rule" and parent-tag evidence work there too.
//!
//! `rules-db/stock/wazuh-4.14.7.jsonl` is generated from `ruleset/rules` of Wazuh 4.14.7 (by
//! `gen-rules-db`, with our own reader) and holds, per file in load order, each rule's id,
//! level, the attributes that change loading (`noalert`, `overwrite`), its groups, parents,
//! options and ATT&CK ids: no descriptions, no match logic. It is JSON Lines: a header line,
//! then per file a line of its summary (`needs.rs`: what it defines, which other files its
//! rules need, how many rule lines follow) and one line per rule.

#[cfg(feature = "generators")]
mod generate;
mod needs;

#[cfg(feature = "generators")]
pub use generate::{generate, SHARED_RULES, SOURCE};

use super::model::*;
use super::read::split_list;
use super::span::Span;
use needs::{FileSummary, Wanted};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use thin_vec::ThinVec;

/// The embedded index.
const INDEX: &str = include_str!("../../../rules-db/stock/wazuh-4.14.7.jsonl");
/// What the index stands for, as shown in paths of its rules.
pub const LABEL: &str = "<embedded Wazuh 4.14.7 ruleset>";

/// Texts are `String` when generated and `&str` when read from the embedded table (one
/// copy, into the rule, instead of two).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexRule<S> {
    id: u32,
    level: i64,
    #[serde(default, skip_serializing_if = "is_false")]
    noalert: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    overwrite: bool,
    /// The enclosing `<group name>` names.
    enclosing: S,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<S>,
    /// `[element, value]` pairs: `if_sid`, `if_matched_sid`, `if_group`, `if_matched_group`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parents: Vec<(S, S)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    options: Vec<S>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<S>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One file of the index: its summary, and its rules' lines, parsed only when used.
struct LazyFile {
    summary: FileSummary<&'static str>,
    rules: Vec<&'static str>,
}

/// The index's files, with their summaries parsed: a lint of one file parses the rules of
/// only the few stock files its rules can see.
fn lazy_files() -> Vec<LazyFile> {
    const INVALID: &str = "the embedded stock index is valid JSON Lines";
    let mut files = Vec::with_capacity(256);
    let mut lines = crate::generated::lines(INDEX).skip(1);
    while let Some(summary) = lines.next() {
        let summary: FileSummary<&'static str> = serde_json::from_str(summary).expect(INVALID);
        let rules: Vec<&'static str> = lines.by_ref().take(summary.rules).collect();
        assert_eq!(rules.len(), summary.rules, "{INVALID}");
        files.push(LazyFile { summary, rules });
    }
    files
}

/// Where a rule id stands against the ids the stock ruleset uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockId {
    /// A stock rule has this id, in this file.
    Defined(&'static str),
    /// Wazuh's own space: below 100000 (ids above are for custom rules, as the ruleset's
    /// maintainers ask of contributors), or inside the id span of a stock file that lies
    /// above it. A ruleset update may add a rule with this id.
    Reserved,
    /// Neither: an update is not expected to collide with it.
    Free,
}

/// The first id Wazuh leaves to custom rules.
pub const CUSTOM_IDS_FROM: u32 = 100_000;

/// Where `id` stands against the stock ruleset.
pub fn stock_id(id: u32) -> StockId {
    use std::sync::LazyLock;
    /// A stock file's name and the id ranges it defines.
    type FileIds = (&'static str, Vec<(u32, u32)>);
    static RANGES: LazyLock<Vec<FileIds>> = LazyLock::new(|| {
        lazy_files()
            .into_iter()
            .map(|f| (f.summary.file, f.summary.ids))
            .collect()
    });
    for (file, ids) in RANGES.iter() {
        if ids.iter().any(|&(lo, hi)| (lo..=hi).contains(&id)) {
            return StockId::Defined(file);
        }
    }
    let in_a_span = RANGES.iter().any(|(_, ids)| {
        let lo = ids.iter().map(|r| r.0).min().unwrap_or(u32::MAX);
        let hi = ids.iter().map(|r| r.1).max().unwrap_or(0);
        (lo..=hi).contains(&id)
    });
    if id < CUSTOM_IDS_FROM || in_a_span {
        StockId::Reserved
    } else {
        StockId::Free
    }
}

/// The embedded stock files, as ruleset files, except those whose file names are in
/// `replaced` (stock files the user lints themselves stand in for their own entries).
/// `None` when every stock file is replaced.
pub fn embedded_files(replaced: &[&str]) -> Option<Vec<RuleFile>> {
    all_but(lazy_files(), replaced)
}

fn all_but(files: Vec<LazyFile>, replaced: &[&str]) -> Option<Vec<RuleFile>> {
    let kept: Vec<bool> = files
        .iter()
        .map(|f| !replaced.contains(&f.summary.file))
        .collect();
    build(files, &kept)
}

/// The same, less the stock files `rules` cannot see: only those that define an id they
/// define or name as a parent, carry a group their `if_group`s name, and what those files
/// need in turn. For lint: a rule's findings depend on no other stock file (a test lints
/// many files both ways), and a one-file lint need not build 4,500 rules. With a stock
/// file replaced, every other one.
pub fn embedded_files_for(replaced: &[&str], rules: &[&Rule]) -> Option<Vec<RuleFile>> {
    let files = lazy_files();
    // The summaries' `needs` are those of the whole stock ruleset: with a stock file replaced,
    // what the others need from it may lie elsewhere.
    if files.iter().any(|f| replaced.contains(&f.summary.file)) {
        return all_but(files, replaced);
    }
    let wanted = Wanted::named_by(rules.iter().copied());
    let mut needed = vec![false; files.len()];
    let mut stack = wanted.files(
        files
            .iter()
            .map(|f| (&f.summary.ids[..], &f.summary.groups[..])),
    );
    while let Some(i) = stack.pop() {
        if !needed[i] {
            needed[i] = true;
            stack.extend(&files[i].summary.needs);
        }
    }
    build(files, &needed).or(Some(Vec::new()))
}

/// The files marked, as ruleset files, or `None` when none is.
fn build(files: Vec<LazyFile>, marked: &[bool]) -> Option<Vec<RuleFile>> {
    if !marked.iter().any(|&m| m) {
        return None;
    }
    // Files parse on all cores: on a small file, this is most of the run.
    let files = files
        .into_par_iter()
        .zip(marked.par_iter())
        .filter(|(_, &m)| m)
        .map(|(f, _)| {
            let rules: Vec<IndexRule<&str>> = (f.rules.iter())
                .map(|l| serde_json::from_str(l).expect("the embedded stock index is valid"))
                .collect();
            rule_file(f.summary.file, rules)
        })
        .collect();
    Some(files)
}

/// A stock file's rules as a ruleset file.
fn rule_file<S: AsRef<str> + Into<String>>(name: &str, rules: Vec<IndexRule<S>>) -> RuleFile {
    let mut enclosing_cache: Option<(String, Arc<[String]>)> = None;
    let rules = rules
        .into_iter()
        .map(|r| {
            let enclosing = match &enclosing_cache {
                Some((k, v)) if k == r.enclosing.as_ref() => v.clone(),
                _ => {
                    let v: Arc<[String]> = split_list(r.enclosing.as_ref(), &[','])
                        .map(|(s, _)| s.to_string())
                        .collect();
                    enclosing_cache = Some((r.enclosing.as_ref().to_string(), v.clone()));
                    v
                }
            };
            rule_from(r, enclosing)
        })
        .collect();
    RuleFile {
        source: SourceFile::new(Path::new(LABEL).join(name), String::new()),
        kind: FileKind::Rules,
        rules,
        structure_problems: Vec::new(),
        salvaged: false,
        not_utf8_at: None,
        directives: Vec::new(),
    }
}

fn rule_from<S: AsRef<str> + Into<String>>(r: IndexRule<S>, enclosing: Arc<[String]>) -> Rule {
    let none = Span::default();
    let kind = |e: &str| ParentKind::from_element(e).unwrap_or(ParentKind::IfMatchedGroup);
    let mitre = if r.tags.is_empty() {
        ThinVec::new()
    } else {
        thin_vec::thin_vec![MitreBlock {
            span: none,
            entries: r
                .tags
                .into_iter()
                .map(|t| MitreEntry {
                    kind: MitreEntryKind::Id,
                    value: t.into(),
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
        attributes: ThinVec::new(),
        overwrite: r.overwrite,
        noalert: r.noalert,
        parents: r
            .parents
            .into_iter()
            .map(|(e, v)| ParentRef {
                kind: kind(e.as_ref()),
                value: v.into(),
                span: none,
            })
            .collect(),
        description: None,
        groups: r.groups.into_iter().map(Into::into).collect(),
        enclosing_groups: enclosing,
        fields: ThinVec::new(),
        options: r.options.into_iter().map(Into::into).collect(),
        info: ThinVec::new(),
        mitre,
        insert_after: None,
        leading_comments: ThinVec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of the index is one JSON value, and the files' rule lines are all of them.
    #[test]
    fn the_index_is_json_lines_and_its_files_hold_every_rule() {
        let values: Vec<serde_json::Value> = INDEX
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let files = lazy_files();
        let rules: usize = files.iter().map(|f| f.rules.len()).sum();
        assert_eq!(1 + files.len() + rules, values.len());
        assert!(rules > 4000 && files.len() > 100);
        for f in &files {
            for l in &f.rules {
                let r: IndexRule<&str> = serde_json::from_str(l).unwrap();
                assert!(r.id > 0, "{}", f.summary.file);
            }
        }
    }
}
