//! What each stock file defines and needs from the others, so that a lint of a few files
//! builds only the stock files its rules can see. The generator writes these summaries into
//! the index; `embedded_files_for` follows them.

#[cfg(feature = "generators")]
use super::{rule_file, IndexRule};
use crate::ruleset::load::{squashed, GroupPattern};
#[cfg(feature = "generators")]
use crate::ruleset::load::{LoadEvent, LoadReplay, RuleRef, Workspace, GROUP_PARENTS};
use crate::ruleset::model::Rule;
#[cfg(feature = "generators")]
use rustc_hash::FxHashSet as FastSet;
use serde::{Deserialize, Serialize};

/// What a stock file defines and what it needs from the others, so that a lint of a few
/// files builds only the stock files it can see (`embedded_files_for`).
/// Names are `String` when generated and `&str` when read from the embedded table: no copy
/// of its ~3,000 group names per run.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct FileSummary<S> {
    pub(super) file: S,
    /// The rule ids it defines, as inclusive ranges.
    pub(super) ids: Vec<(u32, u32)>,
    /// Every group its rules carry (own or enclosing), sorted.
    pub(super) groups: Vec<S>,
    /// The files (indexes into the table) that define an id it defines or names as a
    /// parent, or carry a group its `if_group`/`if_matched_group` names.
    pub(super) needs: Vec<usize>,
    /// How many rule lines follow the summary's line in the index.
    pub(super) rules: usize,
}

#[cfg(feature = "generators")]
pub(super) fn summarise(files: &[(String, Vec<IndexRule<String>>)]) -> Vec<FileSummary<String>> {
    // The whole stock ruleset as a run builds it, replayed as a run with nothing replaced
    // replays it.
    let mut ws = Workspace::default();
    ws.load_first(
        files
            .iter()
            .map(|(name, rules)| rule_file(name, rules.clone()))
            .collect(),
    );
    let mut summaries: Vec<FileSummary<String>> = files
        .iter()
        .zip(&ws.files)
        .map(|((name, _), lf)| {
            let mut ids: Vec<u32> = lf.file.rules.iter().filter_map(|r| r.id).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut groups: Vec<String> = lf
                .file
                .rules
                .iter()
                .flat_map(Rule::all_groups)
                .map(str::to_string)
                .collect();
            groups.sort();
            groups.dedup();
            FileSummary {
                file: name.clone(),
                ids: id_ranges(&ids),
                groups,
                needs: Vec::new(),
                rules: 0,
            }
        })
        .collect();
    let replay = LoadReplay::run(&ws, true);
    let order: Vec<RuleRef> = ws.rule_refs().collect();
    let skipped: FastSet<RuleRef> = replay
        .events
        .iter()
        .filter_map(|e| match e {
            LoadEvent::DuplicateId { rule, .. } => Some(*rule),
            _ => None,
        })
        .collect();
    let in_tables = |r: &RuleRef| !replay.dropped.contains(r) && !skipped.contains(r);
    for (i, lf) in ws.files.iter().enumerate() {
        let Wanted {
            ids,
            mut group_patterns,
        } = Wanted::named_by(lf.file.rules.iter());
        group_patterns.sort_unstable();
        group_patterns.dedup();
        let by_id = Wanted {
            ids,
            group_patterns: Vec::new(),
        };
        let mut needs: FastSet<usize> = by_id
            .files(summaries.iter().map(|s| (&s.ids[..], &s.groups[..])))
            .into_iter()
            .collect();
        for p in group_patterns {
            needs.extend(carrier_files(&ws, &order, &in_tables, p));
        }
        needs.remove(&i);
        let mut needs: Vec<usize> = needs.into_iter().collect();
        needs.sort_unstable();
        summaries[i].needs = needs;
    }
    summaries
}

/// The files of the carriers of an `if_group` pattern that decide, for a stock rule naming
/// it, whether the replay keeps the rule and what `parents_of` returns: in load order, every
/// carrier up to the first of each kind (a group equal to the pattern, a group it matches),
/// the first kept ones of each kind, and the first `GROUP_PARENTS` kept ones of the kind the
/// group table answers with (the equal group when any kept rule has it). A carrier past
/// these is seen by no check of a rule outside the stock ruleset.
#[cfg(feature = "generators")]
fn carrier_files(
    ws: &Workspace,
    order: &[RuleRef],
    in_tables: &dyn Fn(&RuleRef) -> bool,
    pattern: &str,
) -> FastSet<usize> {
    let compiled = GroupPattern::new(pattern);
    let kinds = |r: RuleRef| {
        let rule = ws.rule(r);
        (
            rule.all_groups().any(|g| g == pattern),
            rule.all_groups().any(|g| compiled.matches(g)),
        )
    };
    let (mut all_exact, mut all_any, mut kept_exact, mut kept_any) = (0, 0, 0, 0);
    for &r in order {
        let (exact, any) = kinds(r);
        all_exact += usize::from(exact);
        all_any += usize::from(any);
        if in_tables(&r) {
            kept_exact += usize::from(exact);
            kept_any += usize::from(any);
        }
    }
    let targets = [
        all_exact.min(1),
        all_any.min(1),
        if kept_exact > 0 {
            kept_exact.min(GROUP_PARENTS)
        } else {
            0
        },
        if kept_exact > 0 {
            kept_any.min(1)
        } else {
            kept_any.min(GROUP_PARENTS)
        },
    ];
    let mut seen = [0; 4];
    let mut out = FastSet::default();
    for &r in order {
        if seen.iter().zip(&targets).all(|(s, t)| s >= t) {
            break;
        }
        let (exact, any) = kinds(r);
        if !(exact || any) {
            continue;
        }
        out.insert(r.file());
        let kept = in_tables(&r);
        seen[0] += usize::from(exact);
        seen[1] += usize::from(any);
        seen[2] += usize::from(exact && kept);
        seen[3] += usize::from(any && kept);
    }
    out
}

/// Sorted, distinct ids as inclusive ranges.
#[cfg(feature = "generators")]
fn id_ranges(ids: &[u32]) -> Vec<(u32, u32)> {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for &id in ids {
        match ranges.last_mut() {
            Some((_, hi)) if *hi + 1 == id => *hi = id,
            _ => ranges.push((id, id)),
        }
    }
    ranges
}

/// The ids and `if_group` patterns some rules name, to find the stock files that define or
/// carry them.
#[derive(Default)]
pub(super) struct Wanted<'a> {
    pub(super) ids: Vec<u32>,
    pub(super) group_patterns: Vec<&'a str>,
}

impl<'a> Wanted<'a> {
    /// The ids `rules` define or name as parents, and the group patterns they name.
    pub(super) fn named_by(rules: impl Iterator<Item = &'a Rule>) -> Self {
        let mut wanted = Wanted::default();
        for r in rules {
            wanted.ids.extend(r.id);
            for p in &r.parents {
                if p.kind.names_rule_ids() {
                    wanted.ids.extend(p.value.parse::<u32>().ok());
                } else {
                    wanted.group_patterns.push(&p.value);
                }
            }
        }
        wanted
    }

    /// Indexes of the files (given as their id ranges and groups) that define a wanted id or
    /// carry a group a wanted pattern matches as the manager matches it, or that, spelt
    /// without case and punctuation, it names (the "did you mean" of an unknown group).
    pub(super) fn files<'f, S: AsRef<str> + 'f>(
        mut self,
        files: impl Iterator<Item = (&'f [(u32, u32)], &'f [S])>,
    ) -> Vec<usize> {
        self.ids.sort_unstable();
        self.ids.dedup();
        self.group_patterns.sort_unstable();
        self.group_patterns.dedup();
        let defines = |ranges: &[(u32, u32)]| {
            ranges.iter().any(|&(lo, hi)| {
                let at = self.ids.partition_point(|&id| id < lo);
                self.ids.get(at).is_some_and(|&id| id <= hi)
            })
        };
        let patterns: Vec<GroupPattern> = self
            .group_patterns
            .iter()
            .map(|p| GroupPattern::new(p))
            .collect();
        let squashed_patterns: Vec<Vec<u8>> = self
            .group_patterns
            .iter()
            .map(|p| squashed(p).collect())
            .collect();
        // Each group squashed once, into one buffer, for all the patterns.
        let mut buffer: Vec<u8> = Vec::new();
        let mut carries = |groups: &[S]| {
            groups.iter().map(AsRef::as_ref).any(|g| {
                buffer.clear();
                buffer.extend(squashed(g));
                patterns.iter().any(|p| p.matches(g)) || squashed_patterns.contains(&buffer)
            })
        };
        files
            .enumerate()
            .filter(|(_, (ranges, groups))| defines(ranges) || carries(groups))
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::read::parse_bytes;

    /// One file per `(group, parent)`: a rule carrying `group`, with `if_sid` `parent` if any.
    fn workspace(files: &[(&str, Option<u32>)]) -> Workspace {
        let mut ws = Workspace::default();
        ws.load_first(
            files
                .iter()
                .enumerate()
                .map(|(i, (group, parent))| {
                    let parent = parent.map_or(String::new(), |p| format!("<if_sid>{p}</if_sid>"));
                    let text = format!(
                        "<group name=\"{group},\"><rule id=\"{}\" level=\"3\">{parent}<description>x</description></rule></group>\n",
                        i + 1
                    );
                    parse_bytes(format!("f{i:02}.xml").into(), text.into_bytes()).unwrap()
                })
                .collect(),
        );
        ws
    }

    /// The rule of the doc comment, worked by hand: for `authx`, file 0 holds the first
    /// matching carrier (`authx_extra`), file 1 the first equal one (dropped: its parent exists
    /// nowhere), files 2-11 ten kept equal ones, of which the group table answers with the
    /// first eight (files 2-9). For `zzz`, with no equal group anywhere, the first eight kept
    /// matching carriers (files 12-19) of ten.
    #[test]
    fn carriers_are_the_first_of_each_kind_and_the_first_eight_kept() {
        let mut files: Vec<(&str, Option<u32>)> = vec![("authx_extra", None), ("authx", Some(999))];
        files.extend(std::iter::repeat_n(("authx", None), 10));
        files.extend(std::iter::repeat_n(("zzz_a", None), 10));
        let ws = workspace(&files);
        let replay = LoadReplay::run(&ws, true);
        assert!(replay.dropped.contains(&RuleRef::new(1, 0)));
        let order: Vec<RuleRef> = ws.rule_refs().collect();
        let in_tables = |r: &RuleRef| !replay.dropped.contains(r);
        let sorted = |set: FastSet<usize>| {
            let mut v: Vec<usize> = set.into_iter().collect();
            v.sort_unstable();
            v
        };
        assert_eq!(
            sorted(carrier_files(&ws, &order, &in_tables, "authx")),
            (0..=9).collect::<Vec<_>>()
        );
        assert_eq!(
            sorted(carrier_files(&ws, &order, &in_tables, "zzz")),
            (12..=19).collect::<Vec<_>>()
        );
        assert!(carrier_files(&ws, &order, &in_tables, "nowhere").is_empty());
    }
}
