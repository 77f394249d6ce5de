//! Coverage: which ATT&CK techniques the loaded rules can really put on an alert, by tactic;
//! which cold techniques matter (platforms, groups, the user's targets); what has fired; and
//! which atomic tests would exercise what never has.
//!
//! One pass, stated assumptions (the report says them too):
//! - a rule covers a technique only when the manager would put that technique on an alert:
//!   the rule loads (load-order replay), can alert (level >= 1, no `noalert="1"`, no
//!   `<options>no_log</options>`) and its tag is active in the manager's ATT&CK version;
//! - tags are counted under their current id in the selected ATT&CK version;
//! - a sub-technique's rule counts toward its parent for gaps (one way), the exact ids stay
//!   in the layer.
//!
//! [`CoverageReport`] is the contract: the JSON output is it, serialised; every other format
//! renders it; `--compare` diffs two of them.

pub mod alerts;
pub mod atomic;
mod diff;
mod effective;
mod relevance;

pub use diff::{diff, CoverageDiff};
pub use relevance::Relevance;

use crate::attack::AttackVersion;
use crate::project::Project;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What the report says, always, before any figure.
pub const CLAIM: &str = "A tag is a claim: a rule that can fire on one variant of a technique, not proof that the technique is detected. Covered means the manager would put the technique on an alert of a loaded rule; test it.";

/// Why coverage could not be computed: input the user must fix.
#[derive(Debug)]
pub enum CoverageError {
    /// `--group` names no ATT&CK group (name, alias or id).
    UnknownGroup(String),
    /// `--targets` file unreadable, or a line that is not a technique of the version.
    Targets {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// An alerts file that cannot be opened or read at all (bad lines are not errors).
    Alerts { path: PathBuf, message: String },
}

impl std::fmt::Display for CoverageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CoverageError::UnknownGroup(g) => write!(
                f,
                "--group `{g}` is no ATT&CK group name, alias or id (ATT&CK 18.1 groups)"
            ),
            CoverageError::Targets {
                path,
                line: Some(l),
                message,
            } => write!(f, "{}:{l}: {message}", path.display()),
            CoverageError::Targets {
                path,
                line: None,
                message,
            } => write!(f, "{}: {message}", path.display()),
            CoverageError::Alerts { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

/// What to count and weigh.
#[derive(Debug, Default, Clone)]
pub struct CoverageOptions {
    /// Count only the rules of the files given (rulesets still load for parents and groups).
    pub only: bool,
    /// Keep techniques of these platforms (as ATT&CK names them, any case).
    pub platforms: Vec<String>,
    /// Weigh techniques these ATT&CK groups use (names, aliases or ids).
    pub groups: Vec<String>,
    /// The user's own threat model: one technique id per line, `#` comments.
    pub targets: Option<PathBuf>,
    /// How many cold techniques the gap list names.
    pub gaps: usize,
    /// Wazuh alerts (`alerts.json`, one JSON object per line; `.gz` too).
    pub alerts: Vec<PathBuf>,
}

/// Where a rule stands.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleAt {
    pub rule_id: u32,
    pub file: String,
    /// 0 for rules of the embedded stock index, which has no lines.
    pub line: usize,
}

/// A tag the manager would not put on an alert, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CannotAlert {
    pub rule: RuleAt,
    pub technique: String,
    pub reason: String,
}

/// One technique (or sub-technique) with the rules that cover it.
#[derive(Debug, Clone, Serialize)]
pub struct CoveredTechnique {
    /// The id in the selected ATT&CK version.
    pub id: String,
    pub name: String,
    pub rules: Vec<RuleAt>,
    /// Ids as written in the rules, where they differ from `id` (an older id of it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub written_as: Vec<String>,
}

/// A top-level technique in one tactic's column.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub id: String,
    pub name: String,
    pub covered: bool,
    /// The technique itself and its sub-techniques that rules cover.
    pub covered_by: Vec<String>,
    /// Rules covering it or a sub-technique.
    pub rule_count: usize,
    pub relevant: bool,
    pub weight: f64,
    /// Alerts seen for it or a sub-technique (with `--alerts`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fired: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TacticCoverage {
    pub id: String,
    pub shortname: String,
    pub name: String,
    /// Relevant top-level techniques of the tactic.
    pub total: usize,
    pub covered: usize,
    pub techniques: Vec<Cell>,
}

/// A cold technique worth closing, with why and how.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub id: String,
    pub name: String,
    pub tactics: Vec<String>,
    pub platforms: Vec<String>,
    pub weight: f64,
    /// The selected (or, without `--group`, all) ATT&CK groups that use it.
    pub groups: Vec<String>,
    pub target: bool,
    /// Atomic tests that would show whether a new rule fires.
    pub tests: usize,
    /// Public detections (Sigma, Splunk) of the technique, to write a rule from.
    pub detections: Vec<PublicDetection>,
}

/// A cold technique left out of the gap list: ATT&CK says no log of the defender sees it.
#[derive(Debug, Clone, Serialize)]
pub struct OutsideView {
    pub id: String,
    pub name: String,
    /// What in ATT&CK says so.
    pub why: String,
}

/// Why ATT&CK's own data says no log of the organisation can see `t`, if it does: its
/// detection text (13.1 and older) says the activity happens outside the organisation's
/// visibility, or it is a PRE technique for which ATT&CK 18.1's analytics name no log source.
fn outside_view(project: &Project, t: &crate::attack::model::Technique) -> Option<String> {
    if let Some(v) = project
        .db
        .all_versions()
        .filter(|v| v.technique(&t.id).is_some_and(|x| x.outside_view))
        .last()
    {
        return Some(format!(
            "ATT&CK {}: its detection happens outside the visibility of the target organization",
            v.version()
        ));
    }
    let text = project.db.text();
    let no_log_source = text
        .technique(&t.id)
        .is_none_or(|x| x.log_sources.is_empty());
    (t.platforms == ["PRE"] && no_log_source).then(|| {
        format!(
            "ATT&CK {}: a PRE technique for which no analytic names a log source",
            text.version()
        )
    })
}

/// The platform a public detection's log source is for, where it names one.
fn detection_platform(logsource: &str) -> Option<&'static str> {
    let l = logsource.to_ascii_lowercase();
    if l.starts_with("windows") || l.contains("sysmon") || l.contains("windows event log") {
        Some("Windows")
    } else if l.starts_with("linux") || l.contains("linux") {
        Some("Linux")
    } else if l.starts_with("macos") {
        Some("macOS")
    } else {
        None
    }
}

/// A public detection that covers a gap, credited as its licence asks.
#[derive(Debug, Clone, Serialize)]
pub struct PublicDetection {
    pub source: String,
    pub id: String,
    pub title: String,
    pub author: String,
}

/// How many public detections a gap names.
const DETECTIONS_PER_GAP: usize = 3;

/// What fired, from `--alerts`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Fired {
    pub files: Vec<String>,
    pub lines: u64,
    pub alerts: u64,
    pub bad_lines: u64,
    /// The first bad lines, as `file:line: why`.
    pub bad_line_examples: Vec<String>,
    /// Technique id (selected version) -> alerts carrying it.
    pub by_technique: BTreeMap<String, u64>,
    pub covered_and_fired: Vec<String>,
    pub covered_never_fired: Vec<String>,
    /// Fired without the manager's ATT&CK coverage claiming it (a rule we count does not cover it).
    pub fired_not_covered: Vec<String>,
    /// Rules that fired with no technique on the alert: rule id -> alerts.
    pub fired_untagged: BTreeMap<String, u64>,
    /// The earliest and latest `timestamp` seen.
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// Distinct `agent.name`s.
    pub agents: u64,
    /// Technique -> the first agents (by name) it fired on, at most ten.
    pub agents_by_technique: BTreeMap<String, Vec<String>>,
}

/// Atomic tests for a technique that is covered but has not fired.
#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    pub technique: String,
    pub name: String,
    pub tests: Vec<PlannedTest>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedTest {
    pub guid: String,
    pub name: String,
    pub platforms: Vec<String>,
    pub command: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub rules_counted: usize,
    pub rules_with_effective_tags: usize,
    pub techniques_total: usize,
    pub techniques_covered: usize,
    pub exact_ids_covered: usize,
}

/// The contract (`--format json`, version 1; fields are only ever added).
#[derive(Debug, Clone, Serialize)]
pub struct CoverageReport {
    pub version: u32,
    pub attack_version: String,
    pub manager_attack: String,
    pub claim: &'static str,
    pub counting: Vec<&'static str>,
    pub relevance: Relevance,
    pub summary: Summary,
    pub tactics: Vec<TacticCoverage>,
    pub covered: Vec<CoveredTechnique>,
    pub cannot_alert: Vec<CannotAlert>,
    pub gaps: Vec<Gap>,
    /// Relevant cold techniques left out of `gaps`: ATT&CK says no log of the defender sees
    /// them.
    pub outside_view: Vec<OutsideView>,
    pub targets_uncovered: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fired: Option<Fired>,
    pub plan: Vec<PlanItem>,
}

const COUNTING: &[&str] = &[
    "a rule counts when it loads (not dropped by load order or a duplicate id), can alert (level >= 1, no noalert=\"1\", no <options>no_log</options>) and its tag is active in the manager's ATT&CK version",
    "tags are counted under their current id in the selected ATT&CK version",
    "a sub-technique's rule counts toward its parent for the tactic columns and gaps, not the other way round",
    "totals are the top-level techniques of each tactic that are relevant (--platform); a technique under several tactics counts in each",
];

/// The parent technique of a sub-technique id (itself for a technique).
pub fn parent_of(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

/// Builds the report for `project`'s rules, judged in `version`.
pub fn build(
    project: &Project,
    version: &AttackVersion,
    opts: &CoverageOptions,
) -> Result<CoverageReport, CoverageError> {
    let eff = effective::collect(project, version, opts.only);
    let relevance = relevance::Relevance::build(project, version, opts)?;
    // Exact id -> rules; top-level id -> exact ids under it.
    let mut exact: BTreeMap<String, BTreeSet<RuleAt>> = BTreeMap::new();
    let mut written: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &eff.tags {
        exact
            .entry(t.id.clone())
            .or_default()
            .insert(t.rule.clone());
        if t.written != t.id {
            written
                .entry(t.id.clone())
                .or_default()
                .insert(t.written.clone());
        }
    }
    let mut family: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for id in exact.keys() {
        family.entry(parent_of(id)).or_default().push(id);
    }
    let fired = if opts.alerts.is_empty() {
        None
    } else {
        Some(
            alerts::read_all(&opts.alerts, version)
                .map_err(|(path, message)| CoverageError::Alerts { path, message })?,
        )
    };
    let fired_family = |top: &str| -> Option<u64> {
        fired.as_ref().map(|f| {
            f.by_technique
                .iter()
                .filter(|(id, _)| parent_of(id) == top)
                .map(|(_, n)| n)
                .sum()
        })
    };
    let mut tactics = Vec::new();
    for tactic in version.tactics() {
        let mut cells: Vec<Cell> = version
            .techniques()
            .filter(|t| !t.sub && version.is_active(&t.id) && t.tactics.contains(&tactic.shortname))
            .map(|t| {
                let covered_by: Vec<String> = family
                    .get(t.id.as_str())
                    .map(|v| v.iter().map(|s| s.to_string()).collect())
                    .unwrap_or_default();
                let rules: BTreeSet<&RuleAt> =
                    covered_by.iter().flat_map(|id| &exact[id]).collect();
                Cell {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    covered: !covered_by.is_empty(),
                    rule_count: rules.len(),
                    covered_by,
                    relevant: relevance.is_relevant(t),
                    weight: relevance.weight(&t.id),
                    fired: fired_family(&t.id),
                }
            })
            .collect();
        cells.sort_by(|a, b| {
            b.covered
                .cmp(&a.covered)
                .then(b.rule_count.cmp(&a.rule_count))
                .then(a.id.cmp(&b.id))
        });
        let relevant: Vec<&Cell> = cells.iter().filter(|c| c.relevant).collect();
        tactics.push(TacticCoverage {
            id: tactic.id.clone(),
            shortname: tactic.shortname.clone(),
            name: tactic.name.clone(),
            total: relevant.len(),
            covered: relevant.iter().filter(|c| c.covered).count(),
            techniques: cells,
        });
    }
    let covered: Vec<CoveredTechnique> = exact
        .iter()
        .map(|(id, rules)| CoveredTechnique {
            id: id.clone(),
            name: version
                .technique(id)
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            rules: rules.iter().cloned().collect(),
            written_as: written
                .get(id)
                .map(|w| w.iter().cloned().collect())
                .unwrap_or_default(),
        })
        .collect();
    // Relevant atomic tests by their current id, resolved once (table positions, to keep
    // the table's order).
    let tests = atomic::embedded();
    let mut tests_by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in tests.iter().enumerate() {
        let current = version.resolve(&t.technique).and_then(|r| r.current());
        if let Some(c) = current.filter(|_| relevance.test_is_relevant(&t.platforms)) {
            tests_by_id.entry(c.id.clone()).or_default().push(i);
        }
    }
    // The tests of a technique and, for a top-level one, of its sub-techniques.
    let tests_for = |id: &str| -> Vec<&atomic::AtomicTest> {
        let mut at: Vec<usize> = tests_by_id
            .range(id.to_string()..)
            .take_while(|(k, _)| k.as_str() == id || parent_of(k) == id)
            .flat_map(|(_, v)| v.iter().copied())
            .collect();
        at.sort_unstable();
        at.into_iter().map(|i| &tests[i]).collect()
    };
    // Gaps: relevant top-level techniques no rule covers, most important first.
    let mut cold: BTreeMap<String, Gap> = BTreeMap::new();
    for tactic in &tactics {
        for c in tactic
            .techniques
            .iter()
            .filter(|c| c.relevant && !c.covered)
        {
            let gap = cold.entry(c.id.clone()).or_insert_with(|| {
                let t = version
                    .technique(&c.id)
                    .expect("a cell is a technique of the version");
                Gap {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    tactics: Vec::new(),
                    platforms: t.platforms.clone(),
                    weight: c.weight,
                    groups: relevance.groups_using(&c.id),
                    target: relevance.is_target(&c.id),
                    tests: tests_for(&c.id).len(),
                    detections: Vec::new(),
                }
            });
            gap.tactics.push(tactic.name.clone());
        }
    }
    let mut unseen: Vec<OutsideView> = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    for gap in cold.into_values() {
        let t = version
            .technique(&gap.id)
            .expect("a gap is a technique of the version");
        match outside_view(project, t) {
            // A target the user named stays a gap: they asked about it.
            Some(why) if !gap.target => unseen.push(OutsideView {
                id: gap.id,
                name: gap.name,
                why,
            }),
            _ => gaps.push(gap),
        }
    }
    gaps.sort_by(|a, b| {
        b.target
            .cmp(&a.target)
            .then(b.weight.total_cmp(&a.weight))
            .then(a.id.cmp(&b.id))
    });
    gaps.truncate(opts.gaps);
    if !gaps.is_empty() {
        let table = crate::suggest::public_table::embedded();
        for g in &mut gaps {
            g.detections = table
                .iter()
                .filter(|d| d.techniques.iter().any(|t| parent_of(t) == g.id))
                .filter(|d| {
                    detection_platform(&d.logsource)
                        .is_none_or(|p| relevance.test_is_relevant(&[p.to_string()]))
                })
                .take(DETECTIONS_PER_GAP)
                .map(|d| PublicDetection {
                    source: d.source.clone(),
                    id: d.id.clone(),
                    title: d.title.clone(),
                    author: d.author.clone(),
                })
                .collect();
        }
    }
    let targets_uncovered: Vec<String> = relevance
        .targets()
        .iter()
        .filter(|t| {
            !exact
                .keys()
                .any(|id| id == *t || parent_of(id) == t.as_str())
        })
        .cloned()
        .collect();
    let fired = fired.map(|mut f| {
        for id in exact.keys() {
            if f.by_technique.contains_key(id) {
                f.covered_and_fired.push(id.clone());
            } else {
                f.covered_never_fired.push(id.clone());
            }
        }
        f.fired_not_covered = f
            .by_technique
            .keys()
            .filter(|id| !exact.contains_key(*id))
            .cloned()
            .collect();
        f
    });
    let plan = fired
        .as_ref()
        .map(|f| {
            f.covered_never_fired
                .iter()
                .filter_map(|id| {
                    let tests = tests_for(id);
                    (!tests.is_empty()).then(|| PlanItem {
                        technique: id.clone(),
                        name: version
                            .technique(id)
                            .map(|t| t.name.clone())
                            .unwrap_or_default(),
                        tests: tests
                            .into_iter()
                            .map(|t| PlannedTest {
                                guid: t.guid.clone(),
                                name: t.name.clone(),
                                platforms: t.platforms.clone(),
                                command: t.command(),
                            })
                            .collect(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let summary = Summary {
        rules_counted: eff.rules_counted,
        rules_with_effective_tags: eff
            .tags
            .iter()
            .map(|t| &t.rule)
            .collect::<BTreeSet<_>>()
            .len(),
        techniques_total: version
            .techniques()
            .filter(|t| !t.sub && version.is_active(&t.id) && relevance.is_relevant(t))
            .count(),
        techniques_covered: family
            .keys()
            .filter(|id| {
                version
                    .technique(id)
                    .is_some_and(|t| relevance.is_relevant(t))
            })
            .count(),
        exact_ids_covered: exact.len(),
    };
    Ok(CoverageReport {
        version: 1,
        attack_version: version.version().to_string(),
        manager_attack: project.manager().version().to_string(),
        claim: CLAIM,
        counting: COUNTING.to_vec(),
        relevance,
        summary,
        tactics,
        covered,
        cannot_alert: eff.cannot_alert,
        gaps,
        outside_view: unseen,
        targets_uncovered,
        fired,
        plan,
    })
}
