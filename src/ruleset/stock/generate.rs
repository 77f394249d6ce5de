//! The stock index, generated from the Wazuh 4.14.7 `rules` folder (`gen-rules-db`).

use super::needs::summarise;
use super::IndexRule;
use crate::generated::line;
use crate::ruleset::model::Rule;
use crate::ruleset::read::read_path;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Where the generator reads the stock rules, inside `../shared`.
pub const SHARED_RULES: &str = "corpus/wazuh-4.14.7/rules";
/// Provenance written into the index.
pub const SOURCE: &str = "github.com/wazuh/wazuh tag v4.14.7 (a42268a27c555d9348d5598fb8751eaf4c8e9024), ruleset/rules, GPLv2";

/// The index file's text, generated from the stock `rules` folder (one rule per line).
pub fn generate(rules_dir: &Path, source: &str) -> Result<String, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(rules_dir)
        .map_err(|e| format!("cannot read {}: {e}", rules_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    let mut files: Vec<(String, Vec<IndexRule<String>>)> = Vec::new();
    for path in &paths {
        let file = read_path(path).map_err(|e| format!("{}: {}", path.display(), e.error))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        files.push((
            name.into_owned(),
            file.rules.iter().filter_map(index_rule).collect(),
        ));
    }
    let summaries = summarise(&files);
    let mut out = line(&IndexHeader { source });
    out.push('\n');
    for ((_, rules), mut summary) in files.iter().zip(summaries) {
        summary.rules = rules.len();
        out.push_str(&line(&summary));
        out.push('\n');
        for rule in rules {
            out.push_str(&line(rule));
            out.push('\n');
        }
    }
    Ok(out)
}

/// The index's first line.
#[derive(Serialize)]
struct IndexHeader<'a> {
    source: &'a str,
}

fn index_rule(r: &Rule) -> Option<IndexRule<String>> {
    Some(IndexRule {
        id: r.id?,
        level: r.level?,
        noalert: r.noalert,
        overwrite: r.overwrite,
        enclosing: r.enclosing_groups.join(","),
        groups: r.groups.to_vec(),
        parents: r
            .parents
            .iter()
            .map(|p| (p.kind.element().to_string(), p.value.clone()))
            .collect(),
        options: r.options.to_vec(),
        tags: r.tagged_ids(),
    })
}
