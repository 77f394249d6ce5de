//! Finding names (techniques, software) in a rule's text: what a case-insensitive regex
//! alternation `\b(?:name|name|...)\b` finds, with one Aho-Corasick automaton instead.
//!
//! The alternation of every technique and software name was the suggester's largest regex:
//! each thread's lazy-DFA cache for it grew to megabytes on the stock ruleset. The automaton
//! needs no per-thread cache. Matches are the regex's: leftmost first, and at one position
//! the first name in the given order whose word edges hold (callers order names longest
//! first). Case folds as ASCII does; a name with non-ASCII letters ("Process Doppelgänging")
//! is also found all upper- and all lower-case, where the regex would also find it with
//! its non-ASCII letters in mixed case.

use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;

/// One name to find, and whether a word edge must hold before and after it.
pub struct Name<'a> {
    pub text: &'a str,
    pub edge_before: bool,
    pub edge_after: bool,
}

pub struct NameMatcher {
    automaton: AhoCorasick,
    /// Per pattern: its name's place in the given order, and whether it needs a word edge
    /// before and after.
    patterns: Vec<(usize, bool, bool)>,
}

/// Whether a regex `\b` holds at `at`: a word character on exactly one side (Unicode's
/// definition, as the regex crate's `\b`).
fn word_edge(text: &str, at: usize) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(regex_syntax::is_word_character);
    is_word(text[..at].chars().next_back()) != is_word(text[at..].chars().next())
}

impl NameMatcher {
    /// `names` in priority order (earlier wins at the same position); empty names are
    /// skipped. `None` when no name is left.
    pub fn new<'a>(names: impl IntoIterator<Item = Name<'a>>) -> Option<NameMatcher> {
        let mut texts: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        for (priority, n) in names.into_iter().filter(|n| !n.text.is_empty()).enumerate() {
            let mut spellings = vec![n.text.to_string()];
            if !n.text.is_ascii() {
                spellings.push(n.text.to_lowercase());
                spellings.push(n.text.to_uppercase());
                spellings.sort();
                spellings.dedup();
            }
            for s in spellings {
                texts.push(s);
                patterns.push((priority, n.edge_before, n.edge_after));
            }
        }
        if texts.is_empty() {
            return None;
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .expect("names build an automaton");
        Some(NameMatcher {
            automaton,
            patterns,
        })
    }

    /// The spans the regex's `find_iter` gives, in order.
    pub fn find_iter(&self, text: &str) -> Vec<Range<usize>> {
        // Every occurrence whose edges hold, as (start, priority, end).
        let mut found: Vec<(usize, usize, usize)> = self
            .automaton
            .find_overlapping_iter(text)
            .filter_map(|m| {
                let (priority, before, after) = self.patterns[m.pattern().as_usize()];
                let fits =
                    (!before || word_edge(text, m.start())) && (!after || word_edge(text, m.end()));
                fits.then_some((m.start(), priority, m.end()))
            })
            .collect();
        found.sort_unstable();
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut from = 0;
        for (start, _, end) in found {
            if start >= from {
                out.push(start..end);
                from = end;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(names: &[&str]) -> NameMatcher {
        NameMatcher::new(names.iter().map(|n| Name {
            text: n,
            edge_before: true,
            edge_after: true,
        }))
        .unwrap()
    }

    #[test]
    fn the_first_name_that_fits_wins_at_the_leftmost_position() {
        let m = words(&["cobalt strike beacon", "cobalt strike", "strike"]);
        let text = "Cobalt Strike Beacon, then cobalt strike beaconing";
        let got: Vec<&str> = m.find_iter(text).into_iter().map(|r| &text[r]).collect();
        // "beaconing" fails the edge after "beacon", so the shorter name fits there.
        assert_eq!(got, ["Cobalt Strike Beacon", "cobalt strike"]);
    }

    #[test]
    fn the_order_given_wins_over_length() {
        let m = words(&["cobalt", "cobalt strike"]);
        assert_eq!(m.find_iter("cobalt strike"), vec![(0..6)]);
    }

    #[test]
    fn edges_follow_unicode_word_characters() {
        let m = words(&["ryuk"]);
        assert!(m.find_iter("éryuk").is_empty());
        assert!(m.find_iter("ryuk_x").is_empty());
        assert_eq!(m.find_iter("«ryuk»"), vec![(2..6)]);
        let loose = NameMatcher::new([Name {
            text: "ryuk",
            edge_before: false,
            edge_after: false,
        }])
        .unwrap();
        assert_eq!(loose.find_iter("xryukx"), vec![(1..5)]);
    }

    /// Texts that hold names in every kind of surrounding: as written, upper-cased, glued to
    /// word and non-word characters (ASCII and not), two names run together, and the stock
    /// ruleset's descriptions.
    fn texts(names: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let next = names[(i + 1) % names.len()];
            out.push(format!("the rule mentions {n} here"));
            out.push(format!("({}) and x{n} and {n}s", n.to_uppercase()));
            out.push(format!("é{n}é {n}_ «{n}» {n}{next} {n} {next}"));
        }
        out.extend(crate::suggest::test_texts::stock_descriptions());
        out
    }

    /// The matcher against the regex it replaces, built from the same names in the same order.
    fn assert_same_as_regex(names: &[(&str, bool, bool)], shared_edges: bool) {
        let alternation: Vec<String> = names
            .iter()
            .map(|(n, before, after)| {
                let edge = |on: bool| if on && !shared_edges { r"\b" } else { "" };
                format!("{}{}{}", edge(*before), regex::escape(n), edge(*after))
            })
            .collect();
        let pattern = if shared_edges {
            format!(r"(?i)\b(?:{})\b", alternation.join("|"))
        } else {
            format!("(?i){}", alternation.join("|"))
        };
        let reference = regex::RegexBuilder::new(&pattern)
            .size_limit(1 << 24)
            .build()
            .unwrap();
        let ours = NameMatcher::new(names.iter().map(|&(text, edge_before, edge_after)| Name {
            text,
            edge_before,
            edge_after,
        }))
        .unwrap();
        let plain: Vec<&str> = names.iter().map(|n| n.0).collect();
        let mut found = 0;
        for t in texts(&plain) {
            let want: Vec<Range<usize>> = reference.find_iter(&t).map(|m| m.range()).collect();
            assert_eq!(ours.find_iter(&t), want, "{t:?}");
            found += want.len();
        }
        assert!(found > names.len(), "{found} matches");
    }

    /// ATT&CK's technique names, as explicit mentions find them (one `\b` around them all).
    #[test]
    fn technique_names_are_found_as_the_regex_finds_them() {
        let db = crate::attack::AttackDb::embedded();
        let mut names: Vec<String> = db
            .latest()
            .techniques()
            .map(|t| t.name.to_ascii_lowercase())
            .collect();
        names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        names.dedup();
        let names: Vec<(&str, bool, bool)> =
            names.iter().map(|n| (n.as_str(), true, true)).collect();
        assert_same_as_regex(&names, true);
    }

    /// ATT&CK's software names and aliases, each with an edge only beside a word character.
    #[test]
    fn software_names_are_found_as_the_regex_finds_them() {
        let db = crate::attack::AttackDb::embedded();
        let mut names: Vec<&str> = db
            .text()
            .software()
            .iter()
            .flat_map(|s| std::iter::once(&s.name).chain(&s.aliases))
            .map(String::as_str)
            .filter(|n| n.len() >= 4)
            .collect();
        names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let mut names: Vec<(&str, bool, bool)> = names
            .iter()
            .map(|n| (*n, word(n.chars().next()), word(n.chars().last())))
            .collect();
        // None of ATT&CK's has an edge that is not a word character; a user's bundle may.
        names.extend([("[Ryuk]", false, false), (".NET Loader", false, true)]);
        assert_same_as_regex(&names, false);
    }
}
