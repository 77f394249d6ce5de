//! Reading one rule (or decoder) file into the model, as a Wazuh 4.x manager would.

use super::model::*;
use super::prepare::{prepare, Prepared};
use super::span::Span;
use roxmltree::{Document, Node, ParsingOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file that could not be read at all or not as the manager reads it.
#[derive(Debug)]
pub struct LoadFailure {
    pub path: PathBuf,
    /// The text, when the file could be read from disk (for showing the error in context).
    pub source: Option<SourceFile>,
    pub error: ReadError,
}

/// Reads and parses a file from disk.
pub fn read_path(path: &Path) -> Result<RuleFile, Box<LoadFailure>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(LoadFailure {
            path: path.to_path_buf(),
            source: None,
            error: ReadError {
                message: format!("cannot read file: {e}"),
                offset: None,
            },
        })
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Err(Box::new(LoadFailure {
                path: path.to_path_buf(),
                source: Some(SourceFile::new(path.to_path_buf(), text)),
                error: ReadError {
                    message: format!("file is not valid UTF-8 (byte {at})"),
                    offset: Some(at),
                },
            }));
        }
    };
    parse(SourceFile::new(path.to_path_buf(), text))
}

/// Parses a file already in memory.
pub fn parse(source: SourceFile) -> Result<RuleFile, Box<LoadFailure>> {
    let prepared = prepare(&source.text);
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = match Document::parse_with_options(&prepared.text, opts) {
        Ok(doc) => doc,
        Err(e) => {
            let offset = error_offset(&prepared, &e, source.text.len());
            let mut message = strip_position(&e.to_string());
            if let roxmltree::Error::UnexpectedCloseTag(expected, _, _) = &e {
                // Say where the element left open was opened: that is where the fix goes.
                if let Some(at) = last_open_tag(&source.text[..offset], expected) {
                    let lc = source.lines.line_col(&source.text, at);
                    message.push_str(&format!(
                        " (the <{expected}> opened at {}:{} is not closed)",
                        lc.line, lc.column
                    ));
                }
            }
            return Err(Box::new(LoadFailure {
                path: source.path.clone(),
                error: ReadError {
                    message: format!("not readable as Wazuh XML: {message}"),
                    offset: Some(offset),
                },
                source: Some(source),
            }));
        }
    };
    let reader = Reader {
        text: &source.text,
        prepared: &prepared,
        vars: collect_vars(&doc, &source.text, &prepared),
    };
    let (kind, rules, structure_problems) = reader.read_document(&doc);
    Ok(RuleFile {
        source,
        kind,
        rules,
        structure_problems,
        salvaged: false,
    })
}

fn error_offset(prepared: &Prepared, e: &roxmltree::Error, original_len: usize) -> usize {
    let pos = e.pos();
    let text = &prepared.text;
    let line_start = text
        .split_inclusive('\n')
        .take(pos.row.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let in_line = text[line_start..]
        .char_indices()
        .nth(pos.col.saturating_sub(1) as usize)
        .map_or(text.len() - line_start, |(i, _)| i);
    prepared.to_original(line_start + in_line, original_len)
}

/// Where the last `<name` start tag before the end of `text` begins.
fn last_open_tag(text: &str, name: &str) -> Option<usize> {
    let needle = format!("<{name}");
    text.match_indices(&needle)
        .map(|(i, _)| i)
        .filter(|&i| {
            text[i + needle.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == '>' || c == '/' || c.is_whitespace())
        })
        .last()
}

/// roxmltree appends " at ROW:COL" in prepared coordinates; we report our own position.
fn strip_position(message: &str) -> String {
    match message.rfind(" at ") {
        Some(i)
            if message[i + 4..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':') =>
        {
            message[..i].to_string()
        }
        _ => message.to_string(),
    }
}

fn collect_vars(doc: &Document, text: &str, prepared: &Prepared) -> HashMap<String, String> {
    // os_xml takes <var> definitions wherever they stand, not only at the top level.
    doc.root_element()
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name().eq_ignore_ascii_case("var"))
        .filter_map(|n| {
            let name = n.attribute("name")?.to_string();
            let span = inner_span(n, text, prepared);
            Some((name, decode(span.slice(text))))
        })
        .collect()
}

/// The predefined XML entities; os_xml text is otherwise taken as written.
fn decode(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    raw.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn span_of(node: Node, prepared: &Prepared, len: usize) -> Span {
    let r = node.range();
    Span::new(
        prepared.to_original(r.start, len),
        prepared.to_original(r.end, len),
    )
}

/// The content between an element's start and end tags.
fn inner_span(node: Node, text: &str, prepared: &Prepared) -> Span {
    let whole = span_of(node, prepared, text.len());
    if let (Some(first), Some(last)) = (node.first_child(), node.last_child()) {
        let a = span_of(first, prepared, text.len());
        let b = span_of(last, prepared, text.len());
        return Span::new(a.start, b.end);
    }
    let slice = whole.slice(text);
    if slice.ends_with("/>") {
        return Span::new(whole.end - 2, whole.end - 2);
    }
    let at = slice.rfind("</").map_or(whole.end, |i| whole.start + i);
    Span::new(at, at)
}

fn open_tag_span(node: Node, text: &str, prepared: &Prepared) -> Span {
    let whole = span_of(node, prepared, text.len());
    let inner = inner_span(node, text, prepared);
    if node.has_children() {
        return Span::new(whole.start, inner.start);
    }
    // An empty element: the start tag ends at the first '>' after the last attribute.
    let after_attrs = node
        .attributes()
        .map(|a| prepared.to_original(a.range().end, text.len()))
        .max()
        .unwrap_or(whole.start);
    let end = text[after_attrs..whole.end]
        .find('>')
        .map_or(whole.end, |i| after_attrs + i + 1);
    Span::new(whole.start, end)
}

struct Reader<'a> {
    text: &'a str,
    prepared: &'a Prepared,
    vars: HashMap<String, String>,
}

impl<'a> Reader<'a> {
    fn span(&self, node: Node) -> Span {
        span_of(node, self.prepared, self.text.len())
    }

    fn inner(&self, node: Node) -> Span {
        inner_span(node, self.text, self.prepared)
    }

    /// Raw inner text, with `$VAR`s applied and entities decoded.
    fn value(&self, node: Node) -> String {
        let decoded = decode(self.inner(node).slice(self.text));
        if decoded.contains('$') && !self.vars.is_empty() {
            self.apply_vars(&decoded)
        } else {
            decoded
        }
    }

    fn apply_vars(&self, s: &str) -> String {
        if !s.contains('$') || self.vars.is_empty() {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            match self.vars.get(&after[..name_len]) {
                Some(v) if name_len > 0 => {
                    out.push_str(v);
                    rest = &after[name_len..];
                }
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn read_document(&self, doc: &Document) -> (FileKind, Vec<Rule>, Vec<Spanned<String>>) {
        let top: Vec<Node> = doc
            .root_element()
            .children()
            .filter(Node::is_element)
            .collect();
        let is = |n: &Node, name: &str| n.tag_name().name().eq_ignore_ascii_case(name);
        let kind = if top.iter().any(|n| is(n, "decoder")) {
            FileKind::Decoders
        } else if top.iter().any(|n| is(n, "group")) {
            FileKind::Rules
        } else {
            FileKind::Other
        };
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        if kind != FileKind::Rules {
            return (kind, rules, problems);
        }
        for node in &top {
            if is(node, "var") {
                continue;
            }
            if !is(node, "group") {
                problems.push(Spanned {
                    value: format!(
                        "<{}> at the top level: the manager accepts only <group> (and <var>) there and rejects the file",
                        node.tag_name().name()
                    ),
                    span: self.span(*node),
                });
                continue;
            }
            let enclosing: std::sync::Arc<[String]> =
                split_list(node.attribute("name").unwrap_or(""), &[','])
                    .into_iter()
                    .map(|(s, _)| s.to_string())
                    .collect();
            for child in node.children().filter(Node::is_element) {
                if is(&child, "rule") {
                    rules.push(self.read_rule(child, &enclosing));
                } else if is(&child, "var") {
                    // A variable definition: os_xml applies and removes it before the rules are read.
                } else {
                    problems.push(Spanned {
                        value: format!(
                            "<{}> inside <group>: the manager expects only <rule> there and rejects the file",
                            child.tag_name().name()
                        ),
                        span: self.span(child),
                    });
                }
            }
        }
        (kind, rules, problems)
    }

    fn read_rule(&self, node: Node, enclosing: &std::sync::Arc<[String]>) -> Rule {
        let len = self.text.len();
        let attributes: Vec<Attribute> = node
            .attributes()
            .map(|a| {
                let span = Span::new(
                    self.prepared.to_original(a.range().start, len),
                    self.prepared.to_original(a.range().end, len),
                );
                let value_span = Span::new(
                    self.prepared.to_original(a.range_value().start, len),
                    self.prepared.to_original(a.range_value().end, len),
                );
                Attribute {
                    name: a.name().to_ascii_lowercase(),
                    value: decode(value_span.slice(self.text)),
                    span,
                    value_span,
                }
            })
            .collect();
        let attr = |name: &str| attributes.iter().find(|a| a.name == name);
        let id_raw = attr("id").map(|a| Spanned {
            value: a.value.clone(),
            span: a.value_span,
        });
        let level_raw = attr("level").map(|a| Spanned {
            value: a.value.clone(),
            span: a.value_span,
        });
        let mut rule = Rule {
            span: self.span(node),
            open_tag: open_tag_span(node, self.text, self.prepared),
            id: id_raw.as_ref().and_then(|s| s.value.trim().parse().ok()),
            level: level_raw.as_ref().and_then(|s| s.value.trim().parse().ok()),
            id_raw,
            level_raw,
            overwrite: attr("overwrite")
                .is_some_and(|a| a.value.trim().eq_ignore_ascii_case("yes")),
            noalert: attr("noalert").is_some_and(|a| a.value.trim() != "0"),
            frequency: attr("frequency").map(|a| a.value.clone()),
            timeframe: attr("timeframe").map(|a| a.value.clone()),
            attributes: Vec::new(),
            parents: Vec::new(),
            description: None,
            groups: Vec::new(),
            enclosing_groups: enclosing.clone(),
            fields: Vec::new(),
            options: Vec::new(),
            info: Vec::new(),
            mitre: Vec::new(),
            children: Vec::new(),
            leading_comments: self.leading_comments(node),
        };
        rule.attributes = attributes;
        for child in node.children().filter(Node::is_element) {
            let name = child.tag_name().name().to_ascii_lowercase();
            let span = self.span(child);
            rule.children.push(ChildElement {
                name: name.clone(),
                span,
            });
            match name.as_str() {
                "if_sid" => self.read_parents(child, ParentKind::IfSid, &mut rule.parents),
                "if_matched_sid" => {
                    self.read_parents(child, ParentKind::IfMatchedSid, &mut rule.parents)
                }
                "if_group" => self.read_parents(child, ParentKind::IfGroup, &mut rule.parents),
                "if_matched_group" => {
                    self.read_parents(child, ParentKind::IfMatchedGroup, &mut rule.parents)
                }
                "description" => {
                    rule.description = Some(Spanned {
                        value: self.value(child),
                        span: self.inner(child),
                    })
                }
                "group" => rule.groups.extend(
                    split_list(&self.value(child), &[','])
                        .into_iter()
                        .map(|(s, _)| s.to_string()),
                ),
                "options" => rule.options.extend(
                    split_list(&self.value(child), &[','])
                        .into_iter()
                        .map(|(s, _)| s.to_string()),
                ),
                "info" => rule.info.push(Spanned {
                    value: self.value(child),
                    span: self.inner(child),
                }),
                "mitre" => rule.mitre.push(self.read_mitre(child)),
                other if is_match_field(other) => rule.fields.push(MatchField {
                    name: child
                        .attribute("name")
                        .or_else(|| child.attribute("field"))
                        .map(str::to_string),
                    negate: child
                        .attribute("negate")
                        .is_some_and(|v| v.eq_ignore_ascii_case("yes")),
                    element: name.clone(),
                    value: self.value(child),
                    span,
                }),
                _ => {}
            }
        }
        rule
    }

    fn leading_comments(&self, node: Node) -> Vec<Spanned<String>> {
        let mut out = Vec::new();
        let mut prev = node.prev_sibling();
        while let Some(p) = prev {
            if p.is_element() {
                break;
            }
            if p.is_comment() {
                // The prepared text blanks `-` inside comments; read the original.
                let span = self.span(p);
                let raw = span.slice(self.text);
                let inner = raw
                    .strip_prefix("<!--")
                    .and_then(|r| r.strip_suffix("-->"))
                    .unwrap_or(raw);
                out.push(Spanned {
                    value: inner.to_string(),
                    span,
                });
            }
            prev = p.prev_sibling();
        }
        out.reverse();
        out
    }

    fn read_parents(&self, node: Node, kind: ParentKind, out: &mut Vec<ParentRef>) {
        let inner = self.inner(node);
        let raw = decode(inner.slice(self.text));
        for (token, at) in split_list(&raw, &[',', ' ', '\t', '\n', '\r']) {
            let span = Span::new(inner.start + at, inner.start + at + token.len());
            let value = self.apply_vars(token);
            for (part, _) in split_list(&value, &[',', ' ', '\t', '\n', '\r']) {
                out.push(ParentRef {
                    kind,
                    value: part.to_string(),
                    span,
                });
            }
        }
    }

    fn read_mitre(&self, node: Node) -> MitreBlock {
        let mut entries = Vec::new();
        for child in node.children() {
            if child.is_element() {
                let name = child.tag_name().name().to_ascii_lowercase();
                let kind = match name.as_str() {
                    "id" => MitreEntryKind::Id,
                    "tacticid" => MitreEntryKind::TacticId,
                    "techniqueid" => MitreEntryKind::TechniqueId,
                    _ => MitreEntryKind::UnknownElement(child.tag_name().name().to_string()),
                };
                let value_span = self.inner(child);
                entries.push(MitreEntry {
                    kind,
                    value: decode(value_span.slice(self.text)),
                    span: self.span(child),
                    value_span,
                });
            } else if child.is_text() {
                let span = self.span(child);
                let raw = span.slice(self.text);
                let trimmed = raw.trim();
                if !trimmed.is_empty() {
                    let start = span.start + (raw.len() - raw.trim_start().len());
                    let span = Span::new(start, start + trimmed.len());
                    entries.push(MitreEntry {
                        kind: MitreEntryKind::StrayText,
                        value: trimmed.to_string(),
                        span,
                        value_span: span,
                    });
                }
            }
        }
        MitreBlock {
            span: self.span(node),
            entries,
        }
    }
}

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
                    name: c[1].to_ascii_lowercase(),
                    value: v.as_str().to_string(),
                    span: Span::new(m.start() + whole.start(), m.start() + whole.end()),
                    value_span: Span::new(m.start() + v.start(), m.start() + v.end()),
                }
            })
            .collect();
        let get = |n: &str| attrs.iter().find(|a| a.name == n);
        let spanned = |a: &Attribute| Spanned {
            value: a.value.clone(),
            span: a.value_span,
        };
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
                            value: v.as_str().to_string(),
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
                value: v.as_str().to_string(),
                span: Span::new(m.start() + v.start(), m.start() + v.end()),
            }
        });
        rules.push(Rule {
            span: Span::new(m.start(), end),
            open_tag: Span::new(m.start(), m.end()),
            id: get("id").and_then(|a| a.value.trim().parse().ok()),
            id_raw: get("id").map(spanned),
            level: get("level").and_then(|a| a.value.trim().parse().ok()),
            level_raw: get("level").map(spanned),
            overwrite: false,
            noalert: false,
            frequency: None,
            timeframe: None,
            attributes: attrs.clone(),
            parents: Vec::new(),
            description,
            groups: Vec::new(),
            enclosing_groups: std::sync::Arc::from(Vec::new()),
            fields: Vec::new(),
            options: Vec::new(),
            info: Vec::new(),
            mitre,
            children: Vec::new(),
            leading_comments: Vec::new(),
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
    })
}

/// Elements that are not match conditions: structure, context and output options.
fn is_match_field(name: &str) -> bool {
    !(name.starts_with("same_")
        || name.starts_with("different_")
        || name.starts_with("not_same_")
        || name.starts_with("if_")
        || matches!(
            name,
            "check_diff" | "ignore" | "check_if_ignored" | "global_frequency" | "var"
        ))
}

/// Splits on any of `seps` (ASCII), returning non-empty trimmed pieces and their byte offsets.
pub fn split_list<'s>(s: &'s str, seps: &[char]) -> Vec<(&'s str, usize)> {
    let is_sep = |b: u8| seps.iter().any(|&c| c as u32 == b as u32);
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    for i in 0..=bytes.len() {
        // Separators are ASCII, so every split point is a character boundary.
        if i == bytes.len() || is_sep(bytes[i]) {
            let piece = &s[start..i];
            let trimmed = piece.trim();
            if !trimmed.is_empty() {
                let lead = piece.len() - piece.trim_start().len();
                out.push((trimmed, start + lead));
            }
            start = i + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> RuleFile {
        parse(SourceFile::new("t.xml".into(), s.to_string())).unwrap()
    }

    #[test]
    fn reads_rules_with_spans_into_the_original() {
        let text = "<var name=\"P\">5501</var>\r\n<group name=\"a,b,\">\r\n  <rule id=\"100001\" level=\"7\" overwrite='yes'>\r\n    <if_sid>$P, 5502</if_sid>\r\n    <field name=\"win.system.eventID\">^4625$</field>\r\n    <description>R&D \\<x\\> $(win.eventdata.targetUserName)</description>\r\n    <mitre>\r\n      <id>T1110</id>>\r\n      <tacticID>TA0006</tacticID>\r\n    </mitre>\r\n    <group>authentication_failed,</group>\r\n  </rule>\r\n</group>\r\n";
        let f = parse_str(text);
        assert_eq!(f.kind, FileKind::Rules);
        let r = &f.rules[0];
        assert_eq!(r.id, Some(100001));
        assert_eq!(r.level, Some(7));
        assert!(r.overwrite);
        let parents: Vec<&str> = r.parents.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(parents, ["5501", "5502"]);
        assert_eq!(r.parents[0].span.slice(text), "$P");
        assert_eq!(&*r.enclosing_groups, ["a", "b"]);
        assert_eq!(r.groups, ["authentication_failed"]);
        assert_eq!(
            r.description_text(),
            "R&D \\<x\\> $(win.eventdata.targetUserName)"
        );
        assert_eq!(r.fields[0].name.as_deref(), Some("win.system.eventID"));
        let m = &r.mitre[0];
        assert_eq!(m.entries.len(), 3);
        assert_eq!(m.entries[0].value_span.slice(text), "T1110");
        assert_eq!(m.entries[1].kind, MitreEntryKind::StrayText);
        assert_eq!(m.entries[1].span.slice(text), ">");
        assert_eq!(m.entries[2].kind, MitreEntryKind::TacticId);
        assert!(m.span.slice(text).starts_with("<mitre>"));
        assert!(r.span.slice(text).starts_with("<rule id=\"100001\""));
    }

    #[test]
    fn broken_files_give_a_located_error() {
        let text = "<group name=\"x\">\n  <rule id=\"1\" level=\"3\">\n  </rul>\n</group>\n";
        let err = parse(SourceFile::new("b.xml".into(), text.into())).unwrap_err();
        let at = err.error.offset.unwrap();
        let lc = err.source.as_ref().unwrap().lines.line_col(text, at);
        assert_eq!(lc.line, 3, "{}", err.error.message);
        assert_eq!(
            err.error.message,
            "not readable as Wazuh XML: expected 'rule' tag, not 'rul' (the <rule> opened at 2:3 is not closed)"
        );
    }

    #[test]
    fn decoder_files_have_no_rules() {
        let f = parse_str("<decoder name=\"x\"><prematch>^x</prematch></decoder>");
        assert_eq!(f.kind, FileKind::Decoders);
        assert!(f.rules.is_empty());
    }

    #[test]
    fn empty_elements_have_an_empty_inner_span() {
        let text = "<group name=\"g\"><rule id=\"1\" level=\"0\"><mitre><id></id><id/></mitre><description/></rule></group>";
        let f = parse_str(text);
        let m = &f.rules[0].mitre[0];
        assert!(m
            .entries
            .iter()
            .all(|e| e.value.is_empty() && e.value_span.is_empty()));
        assert_eq!(&text[m.entries[0].value_span.start..][..5], "</id>");
    }
}
