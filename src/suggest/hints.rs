//! Evidence source: the curated hint tables in `rules-db/hints/*.yaml`.

use super::evidence::{Evidence, EvidenceKind};
use super::facts::{At, RuleFacts};
use crate::attack::AttackVersion;
use crate::ruleset::platform::Platform;
use regex::Regex;
use regex_automata::hybrid::dfa::{Cache as LazyCache, DFA as LazyDfa};
use serde::Deserialize;
use std::sync::{Mutex, OnceLock};

/// The embedded hint files: (name, YAML).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "windows-events.yaml",
        include_str!("../../rules-db/hints/windows-events.yaml"),
    ),
    (
        "sysmon.yaml",
        include_str!("../../rules-db/hints/sysmon.yaml"),
    ),
    (
        "linux.yaml",
        include_str!("../../rules-db/hints/linux.yaml"),
    ),
    (
        "wazuh-groups.yaml",
        include_str!("../../rules-db/hints/wazuh-groups.yaml"),
    ),
    (
        "tools.yaml",
        include_str!("../../rules-db/hints/tools.yaml"),
    ),
    ("web.yaml", include_str!("../../rules-db/hints/web.yaml")),
    (
        "cloud.yaml",
        include_str!("../../rules-db/hints/cloud.yaml"),
    ),
    (
        "phrases.yaml",
        include_str!("../../rules-db/hints/phrases.yaml"),
    ),
];

/// How much a fact seen on an ancestor counts, per level of distance.
const DEPTH_DECAY: f64 = 0.75;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[allow(dead_code)]
    source: String,
    /// The platform every hint of the file is about (`windows`, `linux`), unless a hint says.
    platform: Option<String>,
    hints: Vec<RawHint>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHint {
    when: RawWhen,
    /// Conditions under which the hint does not apply although `when` holds (the same keys).
    unless: Option<RawWhen>,
    /// The platform the hint is about: it never applies to a rule clearly of another one.
    platform: Option<String>,
    techniques: Vec<String>,
    weight: f64,
    why: String,
    /// The public documentation the hint rests on: see [`SourceRef`].
    source: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWhen {
    event_id: Option<Vec<u32>>,
    sysmon_event: Option<Vec<u32>>,
    group: Option<Vec<String>>,
    decoder: Option<Vec<String>>,
    field: Option<String>,
    value: Option<String>,
    text: Option<String>,
}

/// A reference a hint's `source:` cites. Every hint cites at least one, and never a
/// ruleset: a hint written from one ruleset's rules would raise that ruleset's figures and
/// nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRef {
    /// An ATT&CK technique (`ATT&CK T1110`) or software (`ATT&CK S0446`) whose definition
    /// the hint applies.
    Attack(String),
    /// A public detection in the embedded table tagged the same way (`Sigma <uuid>`,
    /// `Splunk <uuid>`).
    Detection { source: &'static str, id: String },
    /// Vendor documentation (`https://learn.microsoft.com/...`).
    Url(String),
}

fn source_ref_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"ATT&CK ([TS]\d{4}(?:\.\d{3})?)|\b(Sigma|Splunk) ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|(https://[^\s;,)]+)",
        )
        .unwrap()
    })
}

/// What names a ruleset rather than documentation (a cited detection's quoted title aside).
fn names_a_ruleset(source: &str) -> bool {
    static TITLE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let title = TITLE.get_or_init(|| Regex::new(r#"\("[^"]*"\)"#).unwrap());
    let s = title.replace_all(source, "").to_ascii_lowercase();
    [
        "ruleset",
        "local_rules",
        "corpus",
        "community",
        ".xml",
        "rule id",
    ]
    .iter()
    .any(|w| s.contains(w))
}

/// The references a `source:` cites, or why it is not a usable source.
pub fn parse_source(source: &str) -> Result<Vec<SourceRef>, String> {
    if names_a_ruleset(source) {
        return Err(format!(
            "`source` must name public documentation, not a ruleset: {source}"
        ));
    }
    let refs: Vec<SourceRef> = source_ref_re()
        .captures_iter(source)
        .map(|c| {
            if let Some(id) = c.get(1) {
                SourceRef::Attack(id.as_str().to_string())
            } else if let Some(url) = c.get(4) {
                SourceRef::Url(url.as_str().to_string())
            } else {
                SourceRef::Detection {
                    source: if &c[2] == "Sigma" { "sigma" } else { "splunk" },
                    id: c[3].to_string(),
                }
            }
        })
        .collect();
    if refs.is_empty() {
        return Err(format!(
            "`source` cites nothing checkable (ATT&CK T.../S..., Sigma or Splunk <id>, https://...): {source}"
        ));
    }
    Ok(refs)
}

/// One compiled hint.
#[derive(Debug)]
pub struct Hint {
    pub file: &'static str,
    pub techniques: Vec<String>,
    pub weight: f64,
    pub why: String,
    /// What the hint rests on.
    pub sources: Vec<SourceRef>,
    platform: Option<Platform>,
    when: Conditions,
    unless: Option<Conditions>,
}

/// A compiled `when` (or `unless`): every condition given must hold.
#[derive(Debug)]
struct Conditions {
    event_id: Vec<u32>,
    sysmon_event: Vec<u32>,
    group: Vec<String>,
    decoder: Vec<String>,
    field: Option<Regex>,
    value: Option<Regex>,
    text: Option<TextPattern>,
}

/// A `text` pattern, compiled the first time a rule's text holds its literal prefixes: many
/// hints never meet a rule they could match.
///
/// A hint only asks whether its pattern occurs, so the pattern is compiled into one forward
/// lazy DFA (no captures, no reverse search, no prefilter: the literal anchors already chose
/// the texts it runs on). For the 223 embedded patterns that compiles to 0.7 MB instead of a
/// full `regex::Regex`'s 7.9 MB, for the same answer; one cache, shared, instead of one per
/// thread.
#[derive(Debug)]
struct TextPattern {
    pattern: String,
    compiled: OnceLock<Option<CompiledText>>,
}

#[derive(Debug)]
struct CompiledText {
    dfa: LazyDfa,
    /// One lazy-DFA cache, shared: a search takes microseconds, so two threads rarely want
    /// the same pattern at once, and a cache per thread doubled the memory.
    cache: Mutex<LazyCache>,
}

impl TextPattern {
    /// Checks the syntax now, so that a bad pattern is an error that names its hint.
    fn new(pattern: &str) -> Result<TextPattern, String> {
        regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(pattern)
            .map_err(|e| e.to_string())?;
        Ok(TextPattern {
            pattern: pattern.to_string(),
            compiled: OnceLock::new(),
        })
    }

    /// ASCII classes and case folding: the patterns are ASCII, and this is faster.
    fn compile(&self) -> Result<CompiledText, String> {
        use regex_automata::nfa::thompson;
        use regex_automata::util::syntax;
        let dfa = LazyDfa::builder()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .thompson(
                thompson::Config::new()
                    .which_captures(thompson::WhichCaptures::None)
                    .shrink(true),
            )
            // Never give up on a thrashing cache, and refuse a Unicode `(?u)\b` (it would
            // quit on non-ASCII bytes): the answer must not depend on the text.
            .configure(LazyDfa::config().minimum_cache_clear_count(None))
            .build(&self.pattern)
            .map_err(|e| e.to_string())?;
        Ok(CompiledText {
            cache: Mutex::new(dfa.create_cache()),
            dfa,
        })
    }

    /// Compiled on first use. `None` for a pattern over the size limits (`compile_errors`
    /// finds those).
    fn is_match(&self, text: &[u8]) -> bool {
        let Some(c) = self.compiled.get_or_init(|| self.compile().ok()) else {
            return false;
        };
        let input = regex_automata::Input::new(text).earliest(true);
        // A search cannot panic while holding the cache, so a poisoned lock is still whole.
        let mut cache = c.cache.lock().unwrap_or_else(|e| e.into_inner());
        // Neither quits nor gives up (see `compile`), so a search always answers.
        c.dfa
            .try_search_fwd(&mut cache, &input)
            .is_ok_and(|m| m.is_some())
    }
}

impl Conditions {
    fn compile(w: &RawWhen) -> Result<Conditions, String> {
        if w.event_id.is_none()
            && w.sysmon_event.is_none()
            && w.group.is_none()
            && w.decoder.is_none()
            && w.field.is_none()
            && w.value.is_none()
            && w.text.is_none()
        {
            return Err("no condition".into());
        }
        let re = |p: &Option<String>| -> Result<Option<Regex>, String> {
            p.as_deref()
                .map(Regex::new)
                .transpose()
                .map_err(|e| e.to_string())
        };
        Ok(Conditions {
            field: re(&w.field)?,
            value: re(&w.value)?,
            text: w.text.as_deref().map(TextPattern::new).transpose()?,
            event_id: w.event_id.clone().unwrap_or_default(),
            sysmon_event: w.sysmon_event.clone().unwrap_or_default(),
            group: w.group.clone().unwrap_or_default(),
            decoder: w
                .decoder
                .clone()
                .unwrap_or_default()
                .iter()
                .map(|d| d.to_ascii_lowercase())
                .collect(),
        })
    }
}

fn parse_platform(p: &str) -> Result<Platform, String> {
    match p.to_ascii_lowercase().as_str() {
        "windows" => Ok(Platform::Windows),
        "linux" => Ok(Platform::Linux),
        other => Err(format!("unknown platform `{other}` (windows or linux)")),
    }
}

/// Every hint, compiled.
#[derive(Debug)]
pub struct HintSet {
    pub hints: Vec<Hint>,
    /// Which hints' `text` patterns can match a text: only those are run.
    anchors: TextAnchors,
}

/// The literal prefixes every match of a `text` pattern must start with, for all patterns in
/// one Aho-Corasick automaton. Patterns without a usable set (a prefix of one byte, or none)
/// are always run.
#[derive(Debug)]
struct TextAnchors {
    automaton: aho_corasick::AhoCorasick,
    /// Hint index of each literal.
    owner: Vec<usize>,
    always: Vec<usize>,
}

fn literal_prefixes(pattern: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().len() < 2) {
        return None;
    }
    let mut out: Vec<Vec<u8>> = literals
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}

impl TextAnchors {
    /// `patterns`: (hint index, its `text` pattern).
    fn build(patterns: &[(usize, String)]) -> Result<TextAnchors, String> {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut owner = Vec::new();
        let mut always = Vec::new();
        for (i, pattern) in patterns {
            let i = *i;
            match literal_prefixes(pattern) {
                Some(prefixes) => {
                    for p in prefixes {
                        literals.push(p);
                        owner.push(i);
                    }
                }
                None => always.push(i),
            }
        }
        let automaton = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&literals)
            .map_err(|e| format!("hint anchors: {e}"))?;
        Ok(TextAnchors {
            automaton,
            owner,
            always,
        })
    }

    /// For each hint, whether its `text` pattern could match `text`.
    fn candidates(&self, text: &str, hints: usize) -> Vec<bool> {
        let mut out = vec![false; hints];
        for &i in &self.always {
            out[i] = true;
        }
        for m in self.automaton.find_overlapping_iter(text) {
            out[self.owner[m.pattern().as_usize()]] = true;
        }
        out
    }
}

/// Where a hint holds: the depth of the farthest condition (0: the rule itself), and the
/// share of the rule's alternatives it holds for (1: all of them).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Held {
    depth: u8,
    share: f64,
}

/// For event ids: the share of the rule's own ids that are `wanted`, when it has several.
fn id_share<T: PartialEq>(facts: &[At<T>], wanted: &[T]) -> f64 {
    let own: Vec<&T> = facts
        .iter()
        .filter(|f| f.depth == 0)
        .map(|f| &f.value)
        .collect();
    let k = own.iter().filter(|v| wanted.contains(v)).count();
    if own.len() <= 1 || k == 0 {
        1.0
    } else {
        k as f64 / own.len() as f64
    }
}

fn nearest<T: PartialEq>(facts: &[At<T>], wanted: &[T]) -> Option<u8> {
    facts
        .iter()
        .filter(|f| wanted.contains(&f.value))
        .map(|f| f.depth)
        .min()
}

impl Hint {
    /// The depth at which the hint holds for a rule of `platform`, if it does.
    fn applies(
        &self,
        facts: &RuleFacts,
        may_match_text: bool,
        platform: Option<Platform>,
    ) -> Option<Held> {
        if let (Some(mine), Some(rule)) = (self.platform, platform) {
            if mine != rule {
                return None;
            }
        }
        let held = self.when.matches(facts, may_match_text)?;
        if self
            .unless
            .as_ref()
            .is_some_and(|u| u.matches(facts, true).is_some())
        {
            return None;
        }
        Some(held)
    }
}

impl Conditions {
    /// Where every condition holds (the farthest one and the smallest share count), if they
    /// all do. `may_match_text`: whether the `text` pattern's literal prefixes occur in the
    /// text.
    fn matches(&self, facts: &RuleFacts, may_match_text: bool) -> Option<Held> {
        let mut depth = 0u8;
        let mut share = 1.0f64;
        let mut any = false;
        let mut need = |d: Option<u8>| -> Option<()> {
            any = true;
            depth = depth.max(d?);
            Some(())
        };
        if !self.event_id.is_empty() {
            need(nearest(&facts.event_ids, &self.event_id))?;
            share = share.min(id_share(&facts.event_ids, &self.event_id));
        }
        if !self.sysmon_event.is_empty() {
            need(nearest(&facts.sysmon_events, &self.sysmon_event))?;
            share = share.min(id_share(&facts.sysmon_events, &self.sysmon_event));
        }
        if !self.group.is_empty() {
            need(nearest(&facts.groups, &self.group))?;
        }
        if !self.decoder.is_empty() {
            need(nearest(&facts.decoders, &self.decoder))?;
        }
        if self.field.is_some() || self.value.is_some() {
            // The best share among the fields it holds on.
            let best = (facts.fields.iter())
                .filter(|(n, val)| {
                    self.field.as_ref().is_none_or(|f| f.is_match(n))
                        && self.value.as_ref().is_none_or(|v| v.is_match(val))
                })
                .map(|(_, val)| match &self.value {
                    Some(v) => super::facts::share_of(val, |alt| v.is_match(alt)),
                    None => 1.0,
                })
                .reduce(f64::max);
            need(best.map(|_| 0))?;
            share = share.min(best.unwrap_or(1.0));
        }
        if let Some(t) = &self.text {
            let holds = may_match_text && t.is_match(facts.text.as_bytes());
            need(holds.then_some(0))?;
            share = share.min(facts.share(|s| t.is_match(s.as_bytes())));
        }
        any.then_some(Held { depth, share })
    }
}

impl HintSet {
    /// Parses and compiles hint files; errors name the file and the hint.
    pub fn parse(files: &[(&'static str, &str)]) -> Result<HintSet, String> {
        let mut hints = Vec::new();
        let mut text_patterns: Vec<(usize, String)> = Vec::new();
        for (name, yaml) in files {
            let raw: RawFile = serde_yaml::from_str(yaml).map_err(|e| format!("{name}: {e}"))?;
            let file_platform = raw
                .platform
                .as_deref()
                .map(parse_platform)
                .transpose()
                .map_err(|e| format!("{name}: {e}"))?;
            for (i, h) in raw.hints.into_iter().enumerate() {
                let fail = |e: String| format!("{name}: hint {} ({}): {e}", i + 1, h.why);
                if !(h.weight > 0.0 && h.weight <= 1.0) {
                    return Err(fail("weight must be in (0, 1]".into()));
                }
                if h.techniques.is_empty() {
                    return Err(fail("no techniques".into()));
                }
                let when =
                    Conditions::compile(&h.when).map_err(|e| fail(format!("`when`: {e}")))?;
                let unless = h
                    .unless
                    .as_ref()
                    .map(Conditions::compile)
                    .transpose()
                    .map_err(|e| fail(format!("`unless`: {e}")))?;
                let platform = match &h.platform {
                    Some(p) => Some(parse_platform(p).map_err(fail)?),
                    None => file_platform,
                };
                let sources = parse_source(&h.source).map_err(fail)?;
                if let Some(t) = &h.when.text {
                    text_patterns.push((hints.len(), t.clone()));
                }
                hints.push(Hint {
                    file: name,
                    techniques: h.techniques,
                    weight: h.weight,
                    why: h.why,
                    sources,
                    platform,
                    when,
                    unless,
                });
            }
        }
        let anchors = TextAnchors::build(&text_patterns)?;
        Ok(HintSet { hints, anchors })
    }

    pub fn embedded() -> HintSet {
        HintSet::parse(EMBEDDED)
            .expect("embedded hints are valid (tests/integration/suggest.rs checks them)")
    }

    /// Hints whose `text` pattern does not compile (the schema check: patterns compile only
    /// when first needed).
    pub fn compile_errors(&self) -> Vec<String> {
        self.hints
            .iter()
            .flat_map(|h| {
                [Some(&h.when), h.unless.as_ref()]
                    .into_iter()
                    .flatten()
                    .map(move |c| (h, c))
            })
            .filter_map(|(h, c)| {
                let t = c.text.as_ref()?;
                t.compile()
                    .err()
                    .map(|e| format!("{}: {}: {e}", h.file, h.why))
            })
            .collect()
    }

    /// Ids that are not active techniques of `version`: the schema check.
    pub fn inactive_ids(&self, version: &AttackVersion) -> Vec<String> {
        let mut bad: Vec<String> = self
            .hints
            .iter()
            .flat_map(|h| h.techniques.iter().map(move |t| (h.file, t)))
            .filter(|(_, t)| !version.is_active(t))
            .map(|(f, t)| format!("{f}: {t}"))
            .collect();
        bad.sort();
        bad.dedup();
        bad
    }

    /// Evidence for a rule of `platform` (None: not clearly of one).
    pub fn collect(&self, facts: &RuleFacts, platform: Option<Platform>, out: &mut Vec<Evidence>) {
        let candidates = self.anchors.candidates(&facts.text, self.hints.len());
        for (h, may) in self.hints.iter().zip(candidates) {
            if let Some(Held { depth, share }) = h.applies(facts, may, platform) {
                let strength = h.weight * DEPTH_DECAY.powi(depth as i32) * share;
                let mut detail = if depth == 0 {
                    h.why.clone()
                } else {
                    format!("{} (on a parent rule)", h.why)
                };
                if share < 1.0 {
                    detail.push_str(&format!(
                        " (for {:.0}% of the alternatives the rule lists)",
                        share * 100.0
                    ));
                }
                for t in &h.techniques {
                    out.push(Evidence::new(
                        t.clone(),
                        strength,
                        EvidenceKind::Hint,
                        detail.clone(),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts to run the patterns over: every stock rule's description (the kind of text
    /// hints meet), and a few that hold non-ASCII or sit on word edges.
    fn haystacks() -> Vec<String> {
        let mut out: Vec<String> = vec![
            "".into(),
            "Failed console login for user root".into(),
            "failed  login".into(),
            "new-inboxrule créé par l'administrateur".into(),
            "mimikatz.exe sekurlsa::logonpasswords — élévation".into(),
            "\u{212a}erberos ticket".into(),
        ];
        out.extend(crate::suggest::test_texts::stock_descriptions());
        out
    }

    /// The lazy DFA answers exactly as the full regex does, for every embedded pattern (the
    /// regex crate is the reference: its `is_match` is what hints used before).
    #[test]
    fn text_patterns_match_as_the_regex_crate_does() {
        let texts = haystacks();
        assert!(texts.len() > 4000, "{} texts", texts.len());
        let mut patterns: Vec<String> = Vec::new();
        for (_, yaml) in EMBEDDED {
            let raw: RawFile = serde_yaml::from_str(yaml).unwrap();
            for h in raw.hints {
                patterns.extend(h.when.text.clone());
                patterns.extend(h.unless.and_then(|u| u.text));
            }
        }
        assert!(patterns.len() > 200, "{} patterns", patterns.len());
        // Unicode classes turned back on are still answered as the regex crate does.
        patterns.push(r"(?u)\w+ ticket".into());
        let mut matched = 0;
        for p in &patterns {
            let ours = TextPattern::new(p).unwrap();
            let reference = regex::bytes::RegexBuilder::new(p)
                .unicode(false)
                .build()
                .unwrap();
            for t in &texts {
                let want = reference.is_match(t.as_bytes());
                assert_eq!(ours.is_match(t.as_bytes()), want, "{p} on {t:?}");
                matched += usize::from(want);
            }
        }
        // Not a vacuous agreement on "no match".
        assert!(matched > 1000, "{matched} matches");
    }

    /// A Unicode word boundary would make the answer depend on the text (the lazy DFA quits
    /// on non-ASCII bytes), so it is a compile error that names the pattern's hint.
    #[test]
    fn a_unicode_word_boundary_is_refused() {
        let p = TextPattern::new(r"(?u)\bcréé\b").unwrap();
        assert!(p.compile().is_err());
        assert!(!p.is_match("créé".as_bytes()));
        assert!(TextPattern::new(r"\bcree\b").unwrap().compile().is_ok());
    }
}
