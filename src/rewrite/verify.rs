//! The rewriter's guarantee, checked on every file before it is written: the fixed text
//! reads back with the same rules, ids, levels, parents and fields; only tags differ; and no
//! new id is one the manager's ATT&CK version does not know.

use crate::attack::ids::{classify, IdShape};
use crate::attack::AttackVersion;
use crate::ruleset::model::SourceFile;
use crate::ruleset::read::parse;
use crate::ruleset::{ReadError, Rule, RuleFile};
use std::collections::HashSet;

/// Everything about a rule except its `<mitre>` blocks.
fn signature(rule: &Rule) -> String {
    let mut s = format!(
        // The attributes, `id` and `level` among them, follow.
        "desc={:?} groups={:?} in={:?} options={:?}",
        rule.description.as_ref().map(|d| &d.value),
        rule.groups,
        rule.enclosing_groups,
        rule.options
    );
    for a in &rule.attributes {
        s.push_str(&format!(" @{}={}", a.name, a.value));
    }
    for p in &rule.parents {
        s.push_str(&format!(" {}={}", p.kind.element(), p.value));
    }
    for f in &rule.fields {
        s.push_str(&format!(
            " <{} {:?} {}>{}",
            f.element, f.name, f.negate, f.value
        ));
    }
    for i in &rule.info {
        s.push_str(&format!(" info={}", i.value));
    }
    s
}

fn technique_ids(file: &RuleFile) -> HashSet<String> {
    file.rules
        .iter()
        .flat_map(|r| r.tagged_ids())
        .filter(|v| classify(v) == IdShape::Technique)
        .collect()
}

/// Why a fixed text was not written: `fix` refuses the file and says this.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VerifyError {
    /// Not checked but known: the file is not UTF-8, so its text cannot be rewritten.
    #[error("the file is not UTF-8 (see WM002): save it as UTF-8 first; it was not rewritten")]
    NotUtf8,
    #[error("the fixed text would not read back ({0})")]
    Unreadable(ReadError),
    #[error("the fixed text would have {after} rules instead of {before}")]
    RuleCount { before: usize, after: usize },
    #[error("rule {} would change beyond its tags", id.map_or("?".into(), |i| i.to_string()))]
    ChangedRule { id: Option<u32> },
    #[error("the fix would write {} that the manager's ATT&CK {version} does not know", ids.join(", "))]
    UnknownToManager { ids: Vec<String>, version: String },
}

/// Parses `new_text` and checks it against `old`; the new model on success.
pub fn verify(
    old: &RuleFile,
    new_text: String,
    manager: &AttackVersion,
) -> Result<RuleFile, VerifyError> {
    let new = parse(SourceFile::new(old.source.path.clone(), new_text))
        .map_err(|e| VerifyError::Unreadable(e.error))?;
    if new.rules.len() != old.rules.len() {
        return Err(VerifyError::RuleCount {
            before: old.rules.len(),
            after: new.rules.len(),
        });
    }
    for (a, b) in old.rules.iter().zip(&new.rules) {
        if signature(a) != signature(b) {
            return Err(VerifyError::ChangedRule { id: a.id });
        }
    }
    let before = technique_ids(old);
    let mut unknown: Vec<String> = technique_ids(&new)
        .difference(&before)
        .filter(|id| !manager.is_active(id))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        unknown.sort();
        return Err(VerifyError::UnknownToManager {
            ids: unknown,
            version: manager.version().to_string(),
        });
    }
    Ok(new)
}
