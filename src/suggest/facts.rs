//! What the suggester reads from a rule: its words, event ids, groups and decoders, with
//! what its parents add at a distance.

use crate::attack::search::tokens;
use crate::ruleset::load::{LoadReplay, RuleRef, Workspace};
use crate::ruleset::Rule;
use regex::Regex;
use std::sync::OnceLock;

/// A fact seen on the rule itself (`depth` 0) or on an ancestor (`depth` 1, 2, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    pub value: T,
    pub depth: u8,
}

/// Everything the evidence sources match against: made when a rule is ranked (and, for a
/// tagged rule, once more when the likeness index is built), never kept for a whole ruleset.
#[derive(Debug, Clone, Default)]
pub struct RuleFacts {
    /// Description (placeholders removed), `<info>`, groups and every field value, joined.
    pub text: String,
    /// Description alone, placeholders removed.
    pub description: String,
    /// Word stems of `text`, for ATT&CK text search and similarity.
    pub tokens: Vec<String>,
    /// Own fields: (name or element, value).
    pub fields: Vec<(String, String)>,
    pub event_ids: Vec<At<u32>>,
    pub sysmon_events: Vec<At<u32>>,
    pub groups: Vec<At<String>>,
    pub decoders: Vec<At<String>>,
}

fn placeholder_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\$\([^)]*\)").unwrap())
}

fn number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\d{1,5}").unwrap())
}

fn sysmon_group_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^sysmon_event_?(\d+)$").unwrap())
}

fn regex_syntax_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\\[sSdDwWbB][+*?]?|\.[+*?]|\(\?i\)|[()|^$?+*\[\]{}]").unwrap())
}

/// `vssadmin(\.exe)?\s+delete\s+shadows` -> `vssadmin .exe  delete shadows`.
fn regex_as_words(text: &str) -> String {
    regex_syntax_re()
        .replace_all(text, " ")
        .replace("\\.", ".")
        .replace("\\\\", "\\")
}

/// Regex anchors and escapes out of a literal-ish value (`^sshd$` -> `sshd`).
fn literal(value: &str) -> String {
    value
        .trim()
        .trim_start_matches('^')
        .trim_end_matches('$')
        .replace("\\.", ".")
}

fn is_event_id_field(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with("eventid") || n.ends_with("event_id") || n.ends_with("eventcode")
}

/// Own facts of one rule (depth 0), without looking at parents.
fn own(rule: &Rule) -> RuleFacts {
    let mut f = RuleFacts::default();
    let description = placeholder_re()
        .replace_all(rule.description_text(), " ")
        .into_owned();
    let mut text = description.clone();
    for i in &rule.info {
        text.push(' ');
        text.push_str(&i.value);
    }
    let mut sysmon_channel = false;
    for m in &rule.fields {
        let name = m.name.as_deref().unwrap_or(&m.element).to_string();
        text.push(' ');
        text.push_str(&m.value);
        if is_event_id_field(&name) || m.element == "id" {
            for n in number_re().find_iter(&m.value) {
                if let Ok(id) = n.as_str().parse() {
                    f.event_ids.push(At {
                        value: id,
                        depth: 0,
                    });
                }
            }
        }
        if name.to_ascii_lowercase().ends_with("channel")
            && m.value.to_ascii_lowercase().contains("sysmon")
        {
            sysmon_channel = true;
        }
        if matches!(&*m.element, "decoded_as" | "program_name") {
            f.decoders.push(At {
                value: literal(&m.value).to_ascii_lowercase(),
                depth: 0,
            });
        }
        f.fields.push((name, m.value.to_string()));
    }
    for g in rule.all_groups() {
        text.push(' ');
        text.push_str(g);
        f.groups.push(At {
            value: g.to_string(),
            depth: 0,
        });
        if let Some(c) = sysmon_group_re().captures(g) {
            if let Ok(n) = c[1].parse() {
                f.sysmon_events.push(At { value: n, depth: 0 });
            }
        }
        sysmon_channel |= g.starts_with("sysmon");
    }
    if sysmon_channel {
        let ids: Vec<At<u32>> = f.event_ids.clone();
        f.sysmon_events
            .extend(ids.into_iter().filter(|e| e.value <= 30));
    }
    f.tokens = tokens(&text);
    // Field values are regexes: add a reading of them with the regex syntax as spaces, so
    // hints about `delete shadows` match `delete\s+shadows`.
    let plain = regex_as_words(&text);
    if plain != text {
        text.push_str(" \u{1f} ");
        text.push_str(&plain);
    }
    f.description = description;
    f.text = text;
    f
}

/// Facts of a rule, with its ancestors' event ids, groups and decoders (up to three levels).
pub fn rule_facts(ws: &Workspace, replay: &LoadReplay, r: RuleRef) -> RuleFacts {
    let mut facts = own(ws.rule(r));
    let mut frontier = vec![r];
    let mut seen = vec![r];
    for depth in 1..=3u8 {
        let next: Vec<RuleRef> = frontier
            .iter()
            .flat_map(|&x| replay.parents_of(ws, x))
            .filter(|p| !seen.contains(p))
            .collect();
        if next.is_empty() {
            break;
        }
        for &p in &next {
            seen.push(p);
            let pf = own(ws.rule(p));
            let lift = |v: Vec<At<u32>>| {
                v.into_iter().map(move |a| At {
                    value: a.value,
                    depth,
                })
            };
            facts.event_ids.extend(lift(pf.event_ids));
            facts.sysmon_events.extend(lift(pf.sysmon_events));
            facts.groups.extend(pf.groups.into_iter().map(|a| At {
                value: a.value,
                depth,
            }));
            facts.decoders.extend(pf.decoders.into_iter().map(|a| At {
                value: a.value,
                depth,
            }));
        }
        frontier = next;
    }
    // A child of a Sysmon rule that names event ids names Sysmon events.
    if facts.sysmon_events.iter().any(|e| e.depth > 0)
        || facts.groups.iter().any(|g| g.value.starts_with("sysmon"))
    {
        let own_ids: Vec<At<u32>> = facts
            .event_ids
            .iter()
            .filter(|e| e.depth == 0 && e.value <= 30)
            .cloned()
            .collect();
        for e in own_ids {
            if !facts.sysmon_events.contains(&e) {
                facts.sysmon_events.push(e);
            }
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::model::SourceFile;
    use crate::ruleset::read::parse;

    #[test]
    fn facts_come_from_the_rule_and_its_parents() {
        let text = r#"<group name="windows,"><rule id="60000" level="0"><decoded_as>windows_eventchannel</decoded_as><field name="win.system.channel">^Security$</field><description>Group of Windows rules</description></rule>
<rule id="60122" level="5"><if_sid>60000</if_sid><field name="win.system.eventID">^529$|^4625$</field><description>Logon Failure</description><group>authentication_failed,</group></rule>
<rule id="100001" level="10"><if_sid>60122</if_sid><description>$(win.eventdata.targetUserName) failed</description></rule></group>"#;
        let file = parse(SourceFile::new("t.xml".into(), text.into())).unwrap();
        let ws = Workspace {
            files: vec![crate::ruleset::load::LoadedFile {
                file,
                origin: crate::ruleset::load::Origin::Linted,
            }],
            ..Default::default()
        };
        let replay = LoadReplay::run(&ws, true);
        let f = rule_facts(&ws, &replay, RuleRef::new(0, 2));
        assert_eq!(f.description.trim(), "failed");
        assert!(f.event_ids.contains(&At {
            value: 4625,
            depth: 1
        }));
        assert!(f.groups.contains(&At {
            value: "authentication_failed".into(),
            depth: 1
        }));
        assert!(f.decoders.contains(&At {
            value: "windows_eventchannel".into(),
            depth: 2
        }));
        assert!(f.sysmon_events.is_empty());
    }
}

/// The alternatives of a match value: `a|b|c` (OS_Match and regex alike), split where no
/// parenthesis or class is open; empty ones (`a||b`) dropped.
pub fn alternatives(value: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start, mut escaped) = (Vec::new(), 0i32, 0, false);
    for (i, b) in value.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b'|' if depth <= 0 => {
                out.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&value[start..]);
    out.retain(|a| !a.trim().is_empty());
    out
}

/// The share of a value's alternatives `holds` for: an executable one of ten listed is a
/// tenth of what the rule fires on. 1 when the value is no list, or when no single
/// alternative holds (the match spans them).
pub fn share_of(value: &str, holds: impl Fn(&str) -> bool) -> f64 {
    let alts = alternatives(value);
    let k = alts.iter().filter(|a| holds(a)).count();
    if alts.len() <= 1 || k == 0 {
        1.0
    } else {
        k as f64 / alts.len() as f64
    }
}

impl RuleFacts {
    /// The share of the rule a piece of evidence found by `holds` speaks for: all of it when
    /// the description says it (evidence from a list must not outweigh what the rule says it
    /// is about) or when no field value holds it; else the best share among the field values
    /// it holds on (see [`share_of`]).
    pub fn share(&self, holds: impl Fn(&str) -> bool) -> f64 {
        if holds(&self.description) {
            return 1.0;
        }
        (self.fields.iter())
            .filter(|(_, val)| holds(val))
            .map(|(_, val)| share_of(val, &holds))
            .reduce(f64::max)
            .unwrap_or(1.0)
    }

    /// [`share`](Self::share) for a name the rule mentions (a technique's, a tool's), found
    /// in any case.
    pub fn mention_share(&self, name: &str) -> f64 {
        let name = name.to_lowercase();
        self.share(|s| s.to_lowercase().contains(&name))
    }
}

#[cfg(test)]
mod alternatives_tests {
    use super::*;

    #[test]
    fn lists_split_where_no_group_or_class_is_open() {
        assert_eq!(
            alternatives(r"\\cmd.exe||\\regsvr32.exe"),
            [r"\\cmd.exe", r"\\regsvr32.exe"]
        );
        assert_eq!(
            alternatives(r"(a|b)\.exe|c[|]d|e\|f"),
            [r"(a|b)\.exe", "c[|]d", r"e\|f"]
        );
        assert_eq!(alternatives("lone"), ["lone"]);
        assert_eq!(share_of("a|b|c|d", |s| s == "b"), 0.25);
        // The match spans alternatives, or there is no list: the whole rule.
        assert_eq!(share_of("a|b", |s| s == "a|b"), 1.0);
        assert_eq!(share_of("abc", |s| s == "abc"), 1.0);
    }
}
