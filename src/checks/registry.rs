//! The one place checks are registered, and selection by code or name.

use super::*;

/// Every check, in code order. Add a new check here and nowhere else.
pub fn all_checks() -> Vec<&'static dyn Check> {
    vec![
        &not_utf8::NotUtf8,
        &missing_technique::MissingTechnique,
        &invalid_technique_id::InvalidTechniqueId,
        &tactic_id_as_technique::TacticIdAsTechnique,
        &unknown_technique::UnknownTechnique,
        &revoked_technique::RevokedTechnique,
        &deprecated_technique::DeprecatedTechnique,
        &unknown_to_manager::UnknownToManager,
        &duplicate_technique::DuplicateTechnique,
        &redundant_parent_technique::RedundantParentTechnique,
        &mitre_block_structure::MitreBlockStructure,
        &tactic_technique_mismatch::TacticTechniqueMismatch,
        &placeholder_technique::PlaceholderTechnique,
        &platform_mismatch::PlatformMismatch,
        &duplicate_rule_id::DuplicateRuleId,
        &rule_id_out_of_range::RuleIdOutOfRange,
        &overwrite_missing_rule::OverwriteMissingRule,
        &parent_not_found::ParentNotFound,
        &self_parent::SelfParent,
        &unknown_parent_group::UnknownParentGroup,
        &invalid_level::InvalidRuleAttributes,
        &missing_description::MissingDescription,
        &rule_file_structure::RuleFileStructure,
    ]
}

/// Diagnostics that come from the driver rather than a check.
pub static UNREADABLE_FILE: CheckInfo = CheckInfo {
    code: "WM000",
    name: "unreadable-file",
    severity: Severity::Error,
    summary: "file the manager refuses (its own XML reader's reason and line); the run exits 2",
    fix: Some(Applicability::Safe),
    scope: Scope::Rules,
};

pub static UNUSED_SUPPRESSION: CheckInfo = CheckInfo {
    code: "WM210",
    name: "unused-suppression",
    severity: Severity::Warning,
    summary: "inline `wazuh-mitre: ignore[...]` comment that suppresses nothing",
    fix: Some(Applicability::Safe),
    scope: Scope::Rules,
};

pub static UNUSED_BASELINE_ENTRY: CheckInfo = CheckInfo {
    code: "WM003",
    name: "unused-baseline-entry",
    severity: Severity::Warning,
    summary: "baseline entry that records more findings than the file still has",
    fix: None,
    scope: Scope::Rules,
};

/// Every code `wazuh-mitre rules` lists, in code order.
pub fn all_infos() -> Vec<&'static CheckInfo> {
    let mut v: Vec<&'static CheckInfo> = vec![
        &UNREADABLE_FILE,
        &UNUSED_SUPPRESSION,
        &UNUSED_BASELINE_ENTRY,
    ];
    v.extend(all_checks().iter().map(|c| c.info()));
    v.sort_by_key(|i| i.code);
    v
}

/// Whether `selector` (a code, a code prefix such as `WM1`, a name, or `ALL`) names `info`.
pub fn selects(selector: &str, info: &CheckInfo) -> bool {
    selects_code(selector, info.code, info.name)
}

/// The same, for a diagnostic's code and name.
pub fn selects_code(selector: &str, code: &str, name: &str) -> bool {
    let s = selector.trim();
    // An empty selector (`--ignore 'WM202,'`) names nothing; `validate` refuses it.
    !s.is_empty()
        && (s.eq_ignore_ascii_case("all")
            || code.starts_with(&s.to_ascii_uppercase())
            || name.eq_ignore_ascii_case(s))
}

/// `--select` / `--ignore` (and the same configuration keys).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn enabled(&self, info: &CheckInfo) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| selects(s, info)))
            && !self.ignore.iter().any(|s| selects(s, info))
    }

    /// Whether every check `selector` names runs: only then can a suppression or a baseline
    /// entry of it be called unused (silencing a check `--select` left out is no mistake).
    pub fn runs_all(&self, selector: &str) -> bool {
        all_infos()
            .iter()
            .filter(|i| selects(selector, i))
            .all(|i| self.enabled(i))
    }

    /// Unknown selectors are usage errors, as in ruff.
    pub fn validate(&self) -> Result<(), SelectionError> {
        let infos = all_infos();
        for s in self.select.iter().chain(&self.ignore) {
            if s.trim().is_empty() {
                return Err(SelectionError::Empty);
            }
            if !infos.iter().any(|i| selects(s, i)) {
                return Err(SelectionError::Unknown(s.clone()));
            }
        }
        Ok(())
    }
}

/// A `--select`/`--ignore` (or configuration) entry that names no check.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SelectionError {
    #[error("an empty check selector (a stray comma?): name a code, a code prefix such as `WM1`, or a name (see `wazuh-mitre rules`)")]
    Empty,
    #[error("unknown check code or name `{0}` (see `wazuh-mitre rules`)")]
    Unknown(String),
}

/// Looks a check up by exact code or name.
pub fn find_info(code_or_name: &str) -> Option<&'static CheckInfo> {
    all_infos().into_iter().find(|i| {
        i.code.eq_ignore_ascii_case(code_or_name) || i.name.eq_ignore_ascii_case(code_or_name)
    })
}
