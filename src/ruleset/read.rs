//! Reading one rule (or decoder) file into the model, as a Wazuh 4.x manager would.
//!
//! The bytes go through [`super::xml`], our step-by-step copy of the manager's own reader;
//! this file turns its tree into rules the way analysisd's rule loader reads them.

use super::model::*;
use super::names;
use super::span::Span;
use super::xml::{self, XmlDocument, XmlError};
use std::path::{Path, PathBuf};
use thin_vec::ThinVec;

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
    use std::io::Read;
    let io = |e: std::io::Error| {
        Box::new(LoadFailure {
            path: path.to_path_buf(),
            source: None,
            error: ReadError::Io(std::sync::Arc::new(e)),
        })
    };
    // What `std::fs::read` does, with the size looked at before reading: a file too long
    // for a span's offsets is refused unread (a sparse file can claim any size).
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > super::span::MAX_FILE_LEN as u64 {
        return Err(too_long(path.to_path_buf(), len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.read_to_end(&mut bytes).map_err(io)?;
    parse_bytes(path.to_path_buf(), bytes)
}

impl LoadFailure {
    /// The XML declaration (`<?xml ...?>`, with its line ending) a refused file opens with,
    /// when it is what the manager refused: os_xml reads no declaration, and removing it
    /// changes nothing the manager would read.
    pub fn refused_declaration(&self) -> Option<Span> {
        let text = &self.source.as_ref()?.text;
        let at = self.error.offset()?;
        let start = text.len() - text.trim_start().len();
        if !text[start..].starts_with("<?xml") {
            return None;
        }
        let mut end = start + text[start..].find("?>")? + 2;
        if at > end {
            return None;
        }
        let rest = &text[end..];
        end += if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        };
        Some(Span::new(start, end))
    }
}

/// A file of `len` bytes, refused: a span's offsets are `u32`s.
fn too_long(path: PathBuf, len: u64) -> Box<LoadFailure> {
    Box::new(LoadFailure {
        path,
        source: None,
        error: ReadError::TooLarge { bytes: len },
    })
}

/// Parses a file's bytes. Text that is not UTF-8 is read as the manager reads it (byte by
/// byte); the model shows each such byte as `?` so every span still points at its byte.
pub fn parse_bytes(path: PathBuf, bytes: Vec<u8>) -> Result<RuleFile, Box<LoadFailure>> {
    if bytes.len() > super::span::MAX_FILE_LEN {
        return Err(too_long(path, bytes.len() as u64));
    }
    match String::from_utf8(bytes) {
        Ok(text) => parse(SourceFile::new(path, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = placeholder_text(&bytes);
            let source = SourceFile::new(path, text);
            let result = read_contents(&source.text, &bytes);
            let mut file = finish(source, result, looks_utf16(&bytes))?;
            file.not_utf8_at = Some(at);
            Ok(file)
        }
    }
}

/// Parses a file already in memory.
pub fn parse(source: SourceFile) -> Result<RuleFile, Box<LoadFailure>> {
    parse_with(source, read_contents)
}

/// [`parse`] from the whole tree, without reading rules while the XML is read: what the
/// streaming read is held to (tests and the `streaming_read` fuzz target).
#[doc(hidden)]
pub fn parse_whole_tree(source: SourceFile) -> Result<RuleFile, Box<LoadFailure>> {
    parse_with(source, read_whole_tree)
}

fn parse_with(
    source: SourceFile,
    read: fn(&str, &[u8]) -> Result<Contents, XmlError>,
) -> Result<RuleFile, Box<LoadFailure>> {
    let result = read(&source.text, source.text.as_bytes());
    let utf16 = result.is_err() && looks_utf16(source.text.as_bytes());
    finish(source, result, utf16)
}

/// Reads `bytes` (shown as `text`) from the whole tree of its XML.
fn read_whole_tree(text: &str, bytes: &[u8]) -> Result<Contents, XmlError> {
    xml::read_keeping(bytes, names::name_bytes).map(|doc| build(text, &doc, Vec::new()))
}

/// Reads `bytes` (shown as `text`) into rules while the XML is being read, so a rule's
/// nodes go as soon as it is a rule. A file the manager refuses is read again the plain way,
/// for the error [`xml::read`] gives (the one the oracle tests hold to the manager's).
fn read_contents(text: &str, bytes: &[u8]) -> Result<Contents, XmlError> {
    let mut streamed = StreamedRules {
        text,
        rules: Vec::new(),
        group: None,
    };
    match xml::read_streaming(bytes, &mut streamed, names::name_bytes) {
        Ok(doc) => Ok(build(text, &doc, streamed.rules)),
        Err(_) => read_whole_tree(text, bytes),
    }
}

/// Rules read from a `<group>`'s children as the reader hands them over, in file order.
struct StreamedRules<'t> {
    text: &'t str,
    rules: Vec<Rule>,
    /// The group being read: its node, its names, and where its last child ended.
    group: Option<(usize, std::sync::Arc<[String]>, usize)>,
}

impl<'a> xml::ChildSink<'a> for StreamedRules<'_> {
    fn take(&mut self, doc: &XmlDocument<'a>, group: usize, child: usize) -> bool {
        let reader = Reader {
            text: self.text,
            doc,
        };
        if self.group.as_ref().is_none_or(|g| g.0 != group) {
            let start = doc.nodes[group].open_tag.end();
            self.group = Some((group, reader.enclosing_groups(group), start));
        }
        let (_, enclosing, boundary) = self.group.as_mut().expect("set above");
        let node = &doc.nodes[child];
        // A `<var>` is no child of the group for the rule loader (nor for `children`).
        if node.kind != xml::NodeKind::Element {
            return false;
        }
        let taken = node.is_named("rule");
        if taken {
            self.rules
                .push(reader.read_rule(child, enclosing, *boundary));
        }
        *boundary = node.span.end();
        taken
    }
}

/// The model of a file the reader took, or the located failure of one it refused.
fn finish(
    source: SourceFile,
    result: Result<Contents, XmlError>,
    utf16: bool,
) -> Result<RuleFile, Box<LoadFailure>> {
    match result {
        Ok(contents) => Ok(contents.with_source(source)),
        Err(e) => Err(xml_failure(source, utf16, e)),
    }
}

/// Each byte that is not part of valid UTF-8 becomes `?`, so offsets stay those of the file.
fn placeholder_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).expect("checked valid"));
                let bad = e.error_len().unwrap_or(rest.len() - good);
                out.extend(std::iter::repeat_n('?', bad));
                rest = &rest[good + bad..];
            }
        }
    }
}

/// Whether bytes look like UTF-16: a UTF-16 byte order mark, or a NUL in every other byte.
fn looks_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64)];
    head.len() >= 8 && head.iter().skip(1).step_by(2).all(|&b| b == 0)
}

/// A refused file, reported at the line the manager names.
fn xml_failure(source: SourceFile, utf16: bool, e: XmlError) -> Box<LoadFailure> {
    let mut e = e;
    let ours = source.lines.line_col(&source.text, e.offset).line;
    if ours != e.line as usize {
        e.offset = source.lines.line_start(e.line as usize).unwrap_or(e.offset);
    }
    Box::new(LoadFailure {
        path: source.path.clone(),
        error: if utf16 {
            ReadError::Utf16(e)
        } else if memchr::memchr(0, source.text.as_bytes()).is_some() {
            ReadError::Binary(e)
        } else {
            ReadError::Xml(e)
        },
        source: Some(source),
    })
}

/// What a document says, read before the file's source joins it (the document borrows
/// the source's bytes).
#[derive(Debug)]
struct Contents {
    kind: FileKind,
    rules: Vec<Rule>,
    structure_problems: Vec<Spanned<String>>,
    directives: Vec<Spanned<String>>,
}

impl Contents {
    fn with_source(self, source: SourceFile) -> RuleFile {
        RuleFile {
            source,
            kind: self.kind,
            rules: self.rules,
            structure_problems: self.structure_problems,
            salvaged: false,
            not_utf8_at: None,
            directives: self.directives,
        }
    }
}

/// `text`: the file's text, whose offsets the document's spans are; `streamed`: the rules
/// already read from the groups' children while the file was read, in file order.
fn build(text: &str, doc: &XmlDocument, streamed: Vec<Rule>) -> Contents {
    let reader = Reader { text, doc };
    let (kind, rules, structure_problems) = reader.read_document(streamed);
    let directives = doc
        .comments
        .iter()
        .map(|&c| reader.comment(c))
        .filter(|c| c.value.trim_start().starts_with("wazuh-mitre:"))
        .collect();
    Contents {
        kind,
        rules,
        structure_problems,
        directives,
    }
}

struct Reader<'a> {
    text: &'a str,
    doc: &'a XmlDocument<'a>,
}

impl<'a> Reader<'a> {
    fn node(&self, i: usize) -> &'a xml::XmlNode<'a> {
        &self.doc.nodes[i]
    }

    /// The text os_xml keeps for a node, variables applied.
    fn value(&self, i: usize) -> String {
        self.node(i).content_str().into_owned()
    }

    /// Where a piece of a node's value stands: exactly, when variables left the value as
    /// written; otherwise the whole written value.
    fn piece_span(&self, i: usize, at: usize, len: usize) -> Span {
        let n = self.node(i);
        let written = n.content_span.slice(self.text).as_bytes();
        if written == &*n.content {
            Span::new(
                n.content_span.start() + at,
                n.content_span.start() + at + len,
            )
        } else {
            n.content_span
        }
    }

    fn problem(&self, i: usize, value: String) -> Spanned<String> {
        Spanned {
            value,
            span: self.node(i).span,
        }
    }

    fn read_document(&self, streamed: Vec<Rule>) -> (FileKind, Vec<Rule>, Vec<Spanned<String>>) {
        let top: Vec<usize> = self.doc.children(None).collect();
        let is = |i: &usize, name: &str| self.node(*i).is_named(name);
        let kind = if top.iter().any(|n| is(n, "decoder")) {
            FileKind::Decoders
        } else if top.is_empty() || top.iter().any(|n| is(n, "group") || is(n, "rule")) {
            // An empty or comment-only file is a rule file with no rules: the manager
            // loads it as such.
            FileKind::Rules
        } else {
            FileKind::Other
        };
        let mut problems = Vec::new();
        if kind != FileKind::Rules {
            return (kind, Vec::new(), problems);
        }
        let mut rules = streamed;
        // Rules read here, from children the streaming read left in the document.
        let mut late: Vec<Rule> = Vec::new();
        for &group in &top {
            let name = self.node(group).name_str();
            if !is(&group, "group") {
                problems.push(self.problem(
                    group,
                    format!("<{name}> at the top level: the manager accepts only <group> (and <var>) there and rejects the file"),
                ));
                continue;
            }
            let attrs: Vec<_> = self.doc.attributes(group).collect();
            if attrs.len() != 1 || !attrs[0].is_named("name") {
                problems.push(self.problem(
                    group,
                    format!("<{name}> at the top level must have exactly one attribute, `name`: the manager rejects the file"),
                ));
            }
            let enclosing = self.enclosing_groups(group);
            let span = self.node(group).span;
            // The rules already read from this group, in file order.
            let first = rules.partition_point(|r| r.span.start() < span.start());
            let already = rules[first..].partition_point(|r| r.span.end() <= span.end());
            let children: Vec<usize> = self.doc.children(Some(group)).collect();
            if children.is_empty() && already == 0 {
                problems.push(self.problem(
                    group,
                    format!("<{name}> without any rule: the manager rejects the file"),
                ));
            }
            let mut boundary = self.node(group).open_tag.end();
            let mut next_read = first;
            for child in children {
                let start = self.node(child).span.start();
                // A rule read already that stands before this child ends where it ends.
                while next_read < first + already && rules[next_read].span.start() < start {
                    boundary = rules[next_read].span.end();
                    next_read += 1;
                }
                if is(&child, "rule") {
                    late.push(self.read_rule(child, &enclosing, boundary));
                } else {
                    problems.push(self.problem(
                        child,
                        format!(
                            "<{}> inside <group>: the manager expects only <rule> there and rejects the file",
                            self.node(child).name_str()
                        ),
                    ));
                }
                boundary = self.node(child).span.end();
            }
        }
        for rule in late {
            let at = rules.partition_point(|r| r.span.start() < rule.span.start());
            rules.insert(at, rule);
        }
        rules.shrink_to_fit();
        (kind, rules, problems)
    }

    /// The groups a top-level `<group name="a,b,">` gives its rules.
    fn enclosing_groups(&self, group: usize) -> std::sync::Arc<[String]> {
        self.doc
            .attribute(group, "name")
            .map(|a| {
                split_list(&a.content_str(), &[','])
                    .map(|(s, _)| s.to_string())
                    .collect()
            })
            .unwrap_or_else(|| std::sync::Arc::from(Vec::new()))
    }

    fn read_rule(&self, node: usize, enclosing: &std::sync::Arc<[String]>, after: usize) -> Rule {
        // Each list is made at its final size: a rule is read once and kept for the run.
        let mut attributes = ThinVec::with_capacity(self.doc.attributes(node).count());
        attributes.extend(self.doc.attributes(node).map(|a| Attribute {
            name: names::from_reader(&a.name),
            value: a.content_str().into(),
            span: a.span,
            value_span: a.inner,
        }));
        let attr = |name: &str| attributes.iter().find(|a| a.name == name);
        let n = self.node(node);
        // The children, named and sorted once: their counts size the lists.
        let children: smallvec::SmallVec<[(usize, names::Name, RuleChild); 16]> = self
            .doc
            .children(Some(node))
            .map(|child| {
                let name = names::from_reader(&self.node(child).name);
                let kind = rule_child(&name);
                (child, name, kind)
            })
            .collect();
        let count = |wanted: RuleChild| children.iter().filter(|c| c.2 == wanted).count();
        let mut rule = Rule {
            span: n.span,
            open_tag: n.open_tag,
            // As analysisd reads them: digits only (no sign, no space), an id of 6 at most.
            id: attr("id")
                .filter(|a| a.value.len() <= 6)
                .and_then(|a| digits(&a.value)),
            level: attr("level").and_then(|a| digits(&a.value)).map(i64::from),
            overwrite: attr("overwrite").is_some_and(|a| a.value == "yes"),
            noalert: attr("noalert").is_some_and(|a| a.value == "1"),
            attributes: ThinVec::new(),
            parents: ThinVec::new(),
            description: None,
            groups: ThinVec::new(),
            enclosing_groups: enclosing.clone(),
            fields: ThinVec::with_capacity(count(RuleChild::Field)),
            options: ThinVec::new(),
            info: ThinVec::with_capacity(count(RuleChild::Info)),
            mitre: ThinVec::with_capacity(count(RuleChild::Mitre)),
            insert_after: None,
            leading_comments: self.comments_between(after, n.span.start()),
        };
        rule.attributes = attributes;
        let (mut first_description, mut last_child) = (None, None);
        for (child, name, kind) in children {
            let c = self.node(child);
            last_child = Some(c.span);
            if kind == RuleChild::Description && first_description.is_none() {
                first_description = Some(c.span);
            }
            match kind {
                RuleChild::Parent(kind) => self.read_parents(child, kind, &mut rule.parents),
                // analysisd joins repeated descriptions (and `if_sid`s) end to end.
                RuleChild::Description => match &mut rule.description {
                    Some(d) => d.value.push_str(&c.content_str()),
                    None => {
                        rule.description = Some(Spanned {
                            value: self.value(child),
                            span: c.content_span,
                        })
                    }
                },
                RuleChild::Group => rule
                    .groups
                    .extend(split_list(&c.content_str(), &[',']).map(|(s, _)| s.to_string())),
                RuleChild::Options => rule
                    .options
                    .extend(split_list(&c.content_str(), &[',']).map(|(s, _)| s.to_string())),
                RuleChild::Info => rule.info.push(Spanned {
                    value: self.value(child),
                    span: c.content_span,
                }),
                RuleChild::Mitre => rule.mitre.push(self.read_mitre(child)),
                RuleChild::Field => rule.fields.push(MatchField {
                    name: self
                        .doc
                        .attribute(child, "name")
                        .or_else(|| self.doc.attribute(child, "field"))
                        .map(|a| a.content_str().into()),
                    negate: self
                        .doc
                        .attribute(child, "negate")
                        .is_some_and(|a| a.content.eq_ignore_ascii_case(b"yes")),
                    element: name,
                    value: self.node(child).content_str().into(),
                    span: c.span,
                }),
                RuleChild::Other => {}
            }
        }
        rule.insert_after = first_description.or(last_child);
        rule.shrink_to_fit();
        rule
    }

    /// Comments standing between `from` and `to` (for inline suppressions before a rule).
    fn comments_between(&self, from: usize, to: usize) -> ThinVec<Span> {
        let comments = &self.doc.comments;
        let first = comments.partition_point(|c| c.start() < from);
        comments[first..]
            .iter()
            .take_while(|c| c.end() <= to)
            .copied()
            .collect()
    }

    /// A comment's text between `<!--` (or `<!`) and `-->` (or `!>`).
    fn comment(&self, span: Span) -> Spanned<String> {
        let raw = span.slice(self.text);
        let inner = raw
            .strip_prefix("<!--")
            .or_else(|| raw.strip_prefix("<!"))
            .unwrap_or(raw);
        let inner = inner
            .strip_suffix("-->")
            .or_else(|| inner.strip_suffix("!>"))
            .unwrap_or(inner);
        Spanned {
            value: inner.to_string(),
            span,
        }
    }

    fn read_parents(&self, node: usize, kind: ParentKind, out: &mut ThinVec<ParentRef>) {
        let value = self.node(node).content_str();
        for (part, at) in split_list(&value, &[',', ' ', '\t', '\n', '\r']) {
            out.push(ParentRef {
                kind,
                value: part.to_string(),
                span: self.piece_span(node, at, part.len()),
            });
        }
    }

    fn read_mitre(&self, node: usize) -> MitreBlock {
        let block = self.node(node);
        let mut entries = Vec::new();
        let mut gap_start = block.inner.start();
        for child in self.doc.children(Some(node)) {
            let c = self.node(child);
            self.stray_text(gap_start, c.span.start(), &mut entries);
            gap_start = c.span.end();
            let kind = match c.name_str().to_ascii_lowercase().as_str() {
                "id" => MitreEntryKind::Id,
                "tacticid" => MitreEntryKind::TacticId,
                "techniqueid" => MitreEntryKind::TechniqueId,
                _ => MitreEntryKind::UnknownElement(c.name_str().into_owned()),
            };
            entries.push(MitreEntry {
                kind,
                value: self.value(child),
                span: c.span,
                value_span: c.content_span,
            });
        }
        self.stray_text(gap_start, block.inner.end().max(gap_start), &mut entries);
        MitreBlock {
            span: block.span,
            entries,
        }
    }

    /// Non-blank text between `from` and `to`, comments left out, as stray entries.
    fn stray_text(&self, from: usize, to: usize, out: &mut Vec<MitreEntry>) {
        let mut pieces = Vec::new();
        let mut at = from;
        for c in self
            .doc
            .comments
            .iter()
            .filter(|c| c.start() >= from && c.end() <= to)
        {
            pieces.push(Span::new(at, c.start()));
            at = c.end();
        }
        pieces.push(Span::new(at, to));
        for piece in pieces {
            let raw = piece.slice(self.text);
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            let start = piece.start() + (raw.len() - raw.trim_start().len());
            let span = Span::new(start, start + trimmed.len());
            out.push(MitreEntry {
                kind: MitreEntryKind::StrayText,
                value: trimmed.to_string(),
                span,
                value_span: span,
            });
        }
    }
}

/// A number written as analysisd accepts one: ASCII digits only.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// What a child element of `<rule>` is to the model.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RuleChild {
    Parent(ParentKind),
    Description,
    Group,
    Options,
    Info,
    Mitre,
    /// A match condition.
    Field,
    /// Structure, context and output options the model does not keep.
    Other,
}

/// `name`: lowercase.
fn rule_child(name: &str) -> RuleChild {
    if let Some(kind) = ParentKind::from_element(name) {
        return RuleChild::Parent(kind);
    }
    match name {
        "description" => RuleChild::Description,
        "group" => RuleChild::Group,
        "options" => RuleChild::Options,
        "info" => RuleChild::Info,
        "mitre" => RuleChild::Mitre,
        other if is_match_field(other) => RuleChild::Field,
        _ => RuleChild::Other,
    }
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
pub fn split_list<'s>(s: &'s str, seps: &'s [char]) -> impl Iterator<Item = (&'s str, usize)> + 's {
    let is_sep = move |b: u8| seps.iter().any(|&c| c as u32 == b as u32);
    let bytes = s.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        while start <= bytes.len() {
            let end = bytes[start..]
                .iter()
                .position(|&b| is_sep(b))
                .map_or(bytes.len(), |i| start + i);
            // Separators are ASCII, so every split point is a character boundary.
            let piece = &s[start..end];
            let at = start;
            start = end + 1;
            let trimmed = piece.trim();
            if !trimmed.is_empty() {
                return Some((trimmed, at + piece.len() - piece.trim_start().len()));
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_list_gives_trimmed_pieces_at_their_offsets() {
        let seps = [',', ' ', '\t', '\n', '\r'];
        for s in [
            "",
            ",",
            " ",
            "a",
            "a,b",
            "a,,b",
            " a , b ,",
            ",a",
            "a\tb\nc\r\nd",
            "é,ü ,  ñ",
            "100, 200 300",
            "  x  ",
        ] {
            // The reference: str's own split, each piece's offset found from its address.
            let expected: Vec<(&str, usize)> = s
                .split(|c| seps.contains(&c))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| (p, p.as_ptr() as usize - s.as_ptr() as usize))
                .collect();
            assert_eq!(split_list(s, &seps).collect::<Vec<_>>(), expected, "{s:?}");
        }
    }

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
        assert_eq!(r.parents[0].span.slice(text), "$P, 5502");
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
    fn broken_files_give_the_managers_reason_at_its_line() {
        let text = "<group name=\"x\">\n  <rule id=\"1\" level=\"3\">\n  </rul>\n</group>\n";
        let err = parse(SourceFile::new("b.xml".into(), text.into())).unwrap_err();
        let ReadError::Xml(x) = &err.error else {
            panic!("not an XML error: {:?}", err.error)
        };
        assert_eq!(x.line, 3);
        assert_eq!(x.manager_message(), b"XMLERR: Element 'rule' not closed.");
        let at = err.error.offset().unwrap();
        let lc = err.source.as_ref().unwrap().lines.line_col(text, at);
        assert_eq!(lc.line, 3);
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
        assert_eq!(&text[m.entries[0].value_span.start()..][..5], "</id>");
    }

    #[test]
    fn latin1_bytes_are_read_and_kept_in_place() {
        let bytes = b"<group name=\"g\"><rule id=\"1\" level=\"3\"><description>caf\xe9</description></rule></group>".to_vec();
        let f = parse_bytes("l.xml".into(), bytes).unwrap();
        assert_eq!(f.not_utf8_at, Some(55));
        assert_eq!(&f.source.text[52..56], "caf?");
        assert_eq!(f.rules[0].description_text(), "caf\u{fffd}");
    }
}

/// Reading while the XML is read must give what reading the whole tree gives.
#[cfg(test)]
mod streaming_tests {
    use super::*;

    fn plain(text: &str) -> Result<Contents, XmlError> {
        read_whole_tree(text, text.as_bytes())
    }

    fn assert_same(what: &str, text: &str) {
        let streamed = format!("{:?}", read_contents(text, text.as_bytes()));
        let plain = format!("{:?}", plain(text));
        if streamed != plain {
            // The first difference, with some context: the whole model is long.
            let at = streamed
                .bytes()
                .zip(plain.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(streamed.len().min(plain.len()));
            let around = |s: &str| {
                s.get(at.saturating_sub(300)..(at + 200).min(s.len()))
                    .unwrap_or("")
                    .to_string()
            };
            panic!(
                "{what}: streamed\n{}\nplain\n{}",
                around(&streamed),
                around(&plain)
            );
        }
    }

    /// Every rule and decoder file of the stock and community rulesets (broken ones too) and
    /// every test fixture.
    #[test]
    fn every_corpus_and_fixture_file_reads_the_same_both_ways() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = crate::ruleset::discover::expand_paths(&[
            root.join("../shared/corpus"),
            root.join("tests/fixtures"),
            root.join("examples"),
        ])
        .unwrap();
        assert!(files.len() > 400, "{} files", files.len());
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            assert_same(&f.display().to_string(), &placeholder_text(&bytes));
        }
    }

    /// What a streaming read must not get wrong: variables defined before, between and
    /// inside groups, a group's own text with a variable, children that are not rules,
    /// comments and suppressions between rules, several groups, decoders after groups, and
    /// errors (which the plain read reports).
    #[test]
    fn edge_cases_read_the_same_both_ways() {
        let cases = [
            r#"<var name="L">7</var><group name="a,$L,"><rule id="100001" level="$L"><match>$L x</match><description>d</description></rule></group>"#,
            r#"<group name="a,"><var name="V">vv</var><rule id="100001" level="3"><match>$V</match><description>d</description></rule><var name="W">ww</var><rule id="100002" level="3"><match>$W $V</match><description>d</description></rule></group>"#,
            r#"<var name="V">vv</var><group name="g,">text $V <rule id="1" level="3"><description>d</description></rule> tail $V</group>"#,
            r#"<group name="g,"><rule id="1" level="3"><description>d</description></rule><decoder name="x"/><rule id="2" level="3"/></group>"#,
            r#"<group name="g,"><!-- wazuh-mitre: ignore[WM101] --><rule id="1" level="3"><description>d</description></rule>
<!-- between --><rule id="2" level="3"><description>e</description><mitre><id>T1110</id></mitre></rule></group>
<group name="h,"><rule id="3" level="3"><if_sid>1</if_sid><description>f</description></rule></group>"#,
            r#"<group name="g,"></group><group name="h,"/>"#,
            r#"<group name="g,"><rule id="1" level="3"><description>d</description></rule></group><decoder name="x"><prematch>y</prematch></decoder>"#,
            r#"<group name="g," other="x"><rule id="1" level="3"><description>d</description></rule></group><rule id="9" level="1"/>"#,
            r#"<var name="V">$(field)</var><group name="g,"><rule id="1" level="3"><description>$V $UNKNOWN</description></rule></group>"#,
            r#"<group name="g,">$UNDEF<var name="V">v</var><rule id="1" level="3"><description>$NOPE</description></rule></group>"#,
            r#"<group name="g,"><rule id="1" level="3"><description>d</description></rule>"#,
            r#"<group name="g,"><rule id="1" level="3"><description>d</descriptio></rule></group>"#,
            "<group name=\"g,\"><rule id=\"1\" level=\"3\"><description>d</description></rule>\n<!-- c --><var name=\"V\">v</var>\n<!-- d --><rule id=\"2\" level=\"3\"><description>$V</description></rule></group>",
            r#"<GROUP name="g,"><RULE id="1" level="3"><description>d</description></RULE></GROUP>"#,
            r#"<var name="R"><rule id="1" level="3"/></var><group name="g,"><rule id="2" level="3"><description>$R</description></rule></group>"#,
        ];
        for (i, text) in cases.iter().enumerate() {
            assert_same(&format!("case {i}: {text}"), text);
        }
        // Not vacuous: the cases hold rules, problems and errors.
        let read: Vec<_> = cases.iter().map(|t| plain(t)).collect();
        assert!(read
            .iter()
            .any(|r| r.as_ref().is_ok_and(|c| c.rules.len() >= 2)));
        assert!(read
            .iter()
            .any(|r| r.as_ref().is_ok_and(|c| !c.structure_problems.is_empty())));
        assert!(read.iter().filter(|r| r.is_err()).count() >= 2);
    }

    /// The point of it: a group's rules leave the tree as they are read.
    #[test]
    fn a_streaming_read_keeps_no_rule_nodes() {
        let mut text = String::from("<group name=\"g,\">\n");
        for i in 0..1000 {
            text.push_str(&format!(
                "<rule id=\"{}\" level=\"3\"><match>x</match><description>d</description></rule>\n",
                100000 + i
            ));
        }
        text.push_str("</group>\n");
        let mut sink = StreamedRules {
            text: &text,
            rules: Vec::new(),
            group: None,
        };
        let doc = xml::read_streaming(text.as_bytes(), &mut sink, xml::copy_name).unwrap();
        assert_eq!(sink.rules.len(), 1000);
        // The group and its attribute.
        assert_eq!(doc.nodes.len(), 2);
        assert!(xml::read(text.as_bytes()).unwrap().nodes.len() > 5000);
    }
}
