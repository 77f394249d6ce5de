//! A pass over a file the manager refuses: what can still be read of its rules, found by
//! pattern, so that their tags are still checked while the file itself is reported broken.

use super::model::*;
use super::span::Span;
use thin_vec::ThinVec;

/// Rebuilds what can be read of a broken file: each `<rule ...>` up to the next one, with
/// its id, level, description and `<mitre>` entries found by pattern. Only tag checks run
/// on it; the file itself is still reported as unreadable.
pub fn salvage(source: SourceFile) -> Option<RuleFile> {
    use regex::Regex;
    use std::sync::OnceLock;
    static RULE: OnceLock<Regex> = OnceLock::new();
    static ATTR: OnceLock<Regex> = OnceLock::new();
    static MITRE: OnceLock<Regex> = OnceLock::new();
    static ENTRY: OnceLock<Regex> = OnceLock::new();
    static DESC: OnceLock<Regex> = OnceLock::new();
    let rule_re = RULE.get_or_init(|| Regex::new(r"<rule\b[^>]*>").unwrap());
    let attr_re = ATTR.get_or_init(|| Regex::new(r#"(\w+)\s*=\s*["']([^"']*)["']"#).unwrap());
    let mitre_re = MITRE.get_or_init(|| Regex::new(r"(?s)<mitre>(.*?)</mitre>").unwrap());
    let entry_re = ENTRY.get_or_init(|| {
        Regex::new(r"(?si)<(id|tacticid|techniqueid)>([^<]*)</(?:id|tacticid|techniqueid)>")
            .unwrap()
    });
    let desc_re =
        DESC.get_or_init(|| Regex::new(r"(?s)<description>([^<]*)</description>").unwrap());
    let text = source.text.as_str();
    let starts: Vec<regex::Match> = rule_re.find_iter(text).collect();
    let mut rules = Vec::new();
    for (i, m) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |n| n.start());
        let body = &text[m.start()..end];
        let attrs: Vec<Attribute> = attr_re
            .captures_iter(m.as_str())
            .map(|c| {
                let whole = c.get(0).unwrap();
                let v = c.get(2).unwrap();
                Attribute {
                    name: super::names::name(&c[1]),
                    value: v.as_str().into(),
                    span: Span::new(m.start() + whole.start(), m.start() + whole.end()),
                    value_span: Span::new(m.start() + v.start(), m.start() + v.end()),
                }
            })
            .collect();
        let get = |n: &str| attrs.iter().find(|a| a.name == n);
        let mitre = mitre_re
            .captures_iter(body)
            .map(|c| {
                let whole = c.get(0).unwrap();
                let entries = entry_re
                    .captures_iter(&body[whole.start()..whole.end()])
                    .map(|e| {
                        let at = m.start() + whole.start();
                        let all = e.get(0).unwrap();
                        let v = e.get(2).unwrap();
                        MitreEntry {
                            kind: match e[1].to_ascii_lowercase().as_str() {
                                "id" => MitreEntryKind::Id,
                                "tacticid" => MitreEntryKind::TacticId,
                                _ => MitreEntryKind::TechniqueId,
                            },
                            value: v.as_str().into(),
                            span: Span::new(at + all.start(), at + all.end()),
                            value_span: Span::new(at + v.start(), at + v.end()),
                        }
                    })
                    .collect();
                MitreBlock {
                    span: Span::new(m.start() + whole.start(), m.start() + whole.end()),
                    entries,
                }
            })
            .collect();
        let description = desc_re.captures(body).map(|c| {
            let v = c.get(1).unwrap();
            Spanned {
                value: v.as_str().into(),
                span: Span::new(m.start() + v.start(), m.start() + v.end()),
            }
        });
        rules.push(Rule {
            span: Span::new(m.start(), end),
            open_tag: Span::new(m.start(), m.end()),
            id: get("id").and_then(|a| a.value.trim().parse().ok()),
            level: get("level").and_then(|a| a.value.trim().parse().ok()),
            overwrite: false,
            noalert: false,
            attributes: attrs.iter().cloned().collect(),
            parents: ThinVec::new(),
            description,
            groups: ThinVec::new(),
            enclosing_groups: std::sync::Arc::from(Vec::new()),
            fields: ThinVec::new(),
            options: ThinVec::new(),
            info: ThinVec::new(),
            mitre,
            insert_after: None,
            leading_comments: ThinVec::new(),
        });
    }
    if rules.iter().all(|r| r.mitre.is_empty()) {
        return None;
    }
    Some(RuleFile {
        source,
        kind: FileKind::Rules,
        rules,
        structure_problems: Vec::new(),
        salvaged: true,
        not_utf8_at: None,
        directives: Vec::new(),
    })
}
