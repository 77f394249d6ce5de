//! The manager's XML dialect, read exactly as its own reader (os_xml) reads it.
//!
//! Wazuh does not read rule files with an XML parser: `os_xml` is a small state machine with
//! its own rules (no entities, `\<` for a literal `<`, several top-level elements, comments
//! that also end at `!>`, an element's content being the text after its last child, 20,480
//! bytes at most per piece of text, 48 attributes at most). This module follows it step by
//! step, byte by byte, so that a file we accept is a file the manager accepts, with the same
//! element tree, and a file it refuses is refused here with the same message at the same
//! line. Each node also keeps where it stands in the original bytes, which os_xml does not.
//!
//! The tree is os_xml's flat one: nodes in reading order, each with its depth; elements,
//! attributes and `<var>` definitions alike. [`XmlDocument::children`] walks it as
//! `OS_GetElementsbyNode` does, quirks included. `$VAR`s are applied by [`variables`].

mod error;
pub mod variables;

pub use error::XmlError;

use super::span::Span;
use std::borrow::Cow;

/// os_xml's limit on one piece of text (element name, content, attribute name or value).
const MAX_SIZE: usize = 20_480;
/// os_xml's limit on attributes of one element (its recursion depth when reading them).
const MAX_ATTRIBUTE_DEPTH: u32 = 48;
/// os_xml's limit on element nesting.
const MAX_RECURSION: u32 = 1024;
/// End of input, as `fgetc` says it.
const EOF: i32 = -1;

/// What a node of the flat tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Element,
    Attribute,
    /// An element or attribute named `var` (any case): a variable definition to os_xml.
    Variable,
}

/// One entry of os_xml's flat tree.
#[derive(Debug, Clone)]
pub struct XmlNode<'a> {
    pub kind: NodeKind,
    /// The element or attribute name, as os_xml stores it (cut at a NUL byte).
    pub name: std::borrow::Cow<'static, [u8]>,
    /// The text os_xml keeps: for an element the text after its last child (comments left
    /// out), for an attribute its value; `$VAR`s applied once [`variables::apply`] has run.
    /// Borrowed from the file when it is the file's bytes as they stand (nearly always).
    pub content: std::borrow::Cow<'a, [u8]>,
    /// os_xml's `rl`: the depth of the element (attributes share their element's depth).
    pub depth: u32,
    /// The line os_xml records for the node (where its name, or its value, ended).
    pub line: u32,
    /// Elements: from `<` to the end of the closing tag. Attributes: name to closing quote.
    pub span: Span,
    /// Elements: the start tag, `<` to `>`. Attributes: the same as `span`.
    pub open_tag: Span,
    /// Elements: from the end of the start tag to the start of the closing tag (empty for
    /// `<x/>`). Attributes: the value between the quotes.
    pub inner: Span,
    /// Elements: the part of `inner` os_xml keeps as content (after the last child).
    pub content_span: Span,
}

impl XmlNode<'_> {
    pub fn name_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.name)
    }
    pub fn content_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.content)
    }
    pub fn is_named(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.as_bytes())
    }
}

/// A file as os_xml reads it: the flat tree and, for the model's sake, where comments stand.
#[derive(Debug, Default)]
pub struct XmlDocument<'a> {
    pub nodes: Vec<XmlNode<'a>>,
    /// Every comment os_xml skipped, `<!` to its end, in order.
    pub comments: Vec<Span>,
}

impl<'a> XmlDocument<'a> {
    /// The child elements of `parent` (the top-level ones for `None`) with, for each, the
    /// index of its node, walked as `OS_GetElementsbyNode` walks the flat tree.
    pub fn children(&self, parent: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        let (first, depth) = match parent {
            None => (0, 0),
            Some(p) => (p + 1, self.nodes[p].depth + 1),
        };
        self.nodes[first.min(self.nodes.len())..]
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == NodeKind::Element)
            .take_while(move |(_, n)| parent.is_none() || n.depth >= depth)
            .filter(move |(_, n)| n.depth == depth)
            .map(move |(i, _)| first + i)
    }

    /// The attributes of element `element`, as `OS_GetElementsbyNode` collects them: the
    /// attribute entries right after it, up to the first entry that is not one (an attribute
    /// named `var` ends the list).
    pub fn attributes(&self, element: usize) -> impl Iterator<Item = &XmlNode<'a>> + '_ {
        let depth = self.nodes[element].depth;
        self.nodes[element + 1..]
            .iter()
            .take_while(move |n| n.kind == NodeKind::Attribute && n.depth == depth)
    }

    pub fn attribute(&self, element: usize, name: &str) -> Option<&XmlNode<'a>> {
        // os_xml's callers compare attribute names with strcmp or strcasecmp; the rule loader
        // uses strcasecmp for the rule's own attributes.
        self.attributes(element).find(|a| a.is_named(name))
    }
}

/// How the reader keeps an element's or attribute's name. The reader knows no vocabulary;
/// its caller may hand one names it knows without a copy (the rule reader keeps the names
/// of the rule syntax borrowed: `ruleset::names::name_bytes`).
pub type NameKeeper = fn(&[u8]) -> Cow<'static, [u8]>;

/// Keeps every name as a copy of its bytes.
pub fn copy_name(raw: &[u8]) -> Cow<'static, [u8]> {
    Cow::Owned(raw.to_vec())
}

/// Reads `bytes` as os_xml does, then applies `$VAR`s as `OS_ApplyVariables` does.
pub fn read(bytes: &[u8]) -> Result<XmlDocument<'_>, XmlError> {
    read_keeping(bytes, copy_name)
}

/// [`read`], keeping names with `keep`.
pub fn read_keeping(bytes: &[u8], keep: NameKeeper) -> Result<XmlDocument<'_>, XmlError> {
    let mut doc = parse_with(bytes, None, keep).map(|(doc, _)| doc)?;
    variables::apply(&mut doc)?;
    Ok(doc)
}

/// Reads `bytes` as `OS_ReadXML` does, without applying variables.
pub fn parse(bytes: &[u8]) -> Result<XmlDocument<'_>, XmlError> {
    parse_with(bytes, None, copy_name).map(|(doc, _)| doc)
}

/// Takes each child of a top-level `<group>` as soon as it is read, so that a file of
/// 300,000 rules never holds its whole tree: a rule's nodes can go once it is a rule.
pub trait ChildSink<'a> {
    /// `child`, the first of the last nodes of `doc`, is a complete child of `group`, with
    /// variables applied. True when the sink took it: its nodes are dropped.
    fn take(&mut self, doc: &XmlDocument<'a>, group: usize, child: usize) -> bool;
}

/// [`read`], handing each child of a top-level `<group>` to `sink` as soon as it is read;
/// the document keeps the nodes the sink did not take.
///
/// An error here may differ from [`read`]'s when a file has several (variables are applied
/// to a group's own text when it closes, not before its children): callers that report
/// errors read the file again with [`read`].
pub fn read_streaming<'a>(
    bytes: &'a [u8],
    sink: &mut dyn ChildSink<'a>,
    keep: NameKeeper,
) -> Result<XmlDocument<'a>, XmlError> {
    let (mut doc, mut applier) = parse_with(bytes, Some(sink), keep)?;
    applier.advance(&mut doc, &[])?;
    applier.finish(&mut doc)?;
    Ok(doc)
}

fn parse_with<'a>(
    bytes: &'a [u8],
    sink: Option<&mut dyn ChildSink<'a>>,
    keep: NameKeeper,
) -> Result<(XmlDocument<'a>, variables::Applier<'a>), XmlError> {
    let mut r = Reader {
        keep,
        src: bytes,
        pos: 0,
        stash: Vec::with_capacity(STASH_LEN),
        line: 1,
        last_at: 0,
        closed: Vec::new(),
        doc: XmlDocument::default(),
        spare: Vec::new(),
        sink,
        applier: variables::Applier::default(),
    };
    match r.read_element(0, 0) {
        Ok(_) | Err(Stop::EndOfFile) => {}
        Err(Stop::Error(e)) => return Err(e),
    }
    if let Some(i) = r.closed.iter().position(|&c| !c) {
        let node = &r.doc.nodes[i];
        return Err(r.error(error::Kind::ElementNotClosed(node.name.to_vec(), node.line)));
    }
    Ok((r.doc, r.applier))
}

/// os_xml keeps at most two characters pushed back.
const STASH_LEN: usize = 2;

/// Why reading stopped early: an error, or (at the top level only) the end of the file.
enum Stop {
    Error(XmlError),
    EndOfFile,
}

impl From<XmlError> for Stop {
    fn from(e: XmlError) -> Self {
        Stop::Error(e)
    }
}

struct Reader<'a, 's> {
    /// How names are kept (see [`NameKeeper`]).
    keep: NameKeeper,
    src: &'a [u8],
    /// The next byte of `src` to read.
    pos: usize,
    /// Pushed-back characters (as C `char`s) with where each was read.
    stash: Vec<(u8, usize)>,
    line: u32,
    /// Where the character read last stands (for error positions and spans).
    last_at: usize,
    /// os_xml's `ck`: whether each node was closed.
    closed: Vec<bool>,
    doc: XmlDocument<'a>,
    /// Emptied buffers of finished elements and attributes, for the next ones: os_xml's
    /// buffers are per call, but a file has tens of thousands of calls.
    spare: Vec<Vec<u8>>,
    /// Who takes each child of a top-level `<group>` as it is read (streaming reads only).
    sink: Option<&'s mut dyn ChildSink<'a>>,
    /// Variables applied so far, for the sink's sake.
    applier: variables::Applier<'a>,
}

impl<'a> Reader<'a, '_> {
    /// What os_xml kept in `buffer` (cut at a NUL byte), borrowed from the file when it is
    /// the bytes at `at` as they stand: no comment or NUL was left out.
    fn kept(&self, buffer: &[u8], at: usize) -> std::borrow::Cow<'a, [u8]> {
        let kept = until_nul(buffer);
        let src: &'a [u8] = self.src;
        match src.get(at..at + kept.len()) {
            Some(written) if written == kept => std::borrow::Cow::Borrowed(written),
            _ => std::borrow::Cow::Owned(kept.to_vec()),
        }
    }

    /// os_xml's `_xml_fgetc`: a pushed-back character first, as a signed C `char` (so a pushed
    /// back 0xFF byte reads as end of file, as it does for the manager), then the file.
    fn getc(&mut self) -> i32 {
        let c = if let Some((b, at)) = self.stash.pop() {
            self.last_at = at;
            b as i8 as i32
        } else if self.pos < self.src.len() {
            self.last_at = self.pos;
            self.pos += 1;
            self.src[self.pos - 1] as i32
        } else {
            self.last_at = self.src.len();
            EOF
        };
        if c == b'\n' as i32 {
            self.line += 1;
        }
        c
    }

    /// Takes up to `max` bytes that are neither `<` nor `\` from the file, counting lines.
    fn plain_run(&mut self, max: usize) -> &[u8] {
        let rest = &self.src[self.pos..];
        let rest = &rest[..rest.len().min(max)];
        let n = memchr::memchr2(b'<', b'\\', rest).unwrap_or(rest.len());
        let run = &self.src[self.pos..self.pos + n];
        if n > 0 {
            self.line += memchr::memchr_iter(b'\n', run).count() as u32;
            self.last_at = self.pos + n - 1;
            self.pos += n;
        }
        run
    }

    /// os_xml's `_xml_ungetc`, which gives up silently when two characters are pushed back.
    fn ungetc(&mut self, c: i32, at: usize) {
        if self.stash.len() >= STASH_LEN {
            return;
        }
        self.stash.push((c as u8, at));
        if c == b'\n' as i32 {
            self.line -= 1;
        }
    }

    fn error(&self, kind: error::Kind) -> XmlError {
        XmlError {
            kind,
            line: self.line,
            offset: self.last_at.min(self.src.len()),
        }
    }

    /// os_xml's `_oscomment`: after a `<`, skips a comment (`<!` up to `!>` or `-->`).
    /// Ok(true) when one was skipped, Ok(false) when the `<` starts something else.
    fn comment(&mut self, open_at: usize) -> Result<bool, XmlError> {
        let c = self.getc();
        let at = self.last_at;
        if c != b'!' as i32 {
            self.ungetc(c, at);
            return Ok(false);
        }
        loop {
            let c = self.getc();
            if c == EOF {
                return Err(self.error(error::Kind::CommentNotClosed));
            }
            if c == b'!' as i32 {
                let next = self.getc();
                let at = self.last_at;
                if next == b'>' as i32 {
                    break;
                }
                self.ungetc(next, at);
            } else if c == b'-' as i32 {
                let mut next = self.getc();
                let mut at = self.last_at;
                if next == b'-' as i32 {
                    next = self.getc();
                    at = self.last_at;
                    if next == b'>' as i32 {
                        break;
                    }
                    // os_xml pushes this character back twice.
                    self.ungetc(next, at);
                }
                self.ungetc(next, at);
            }
        }
        self.doc.comments.push(Span::new(open_at, self.last_at + 1));
        Ok(true)
    }

    fn push_node(&mut self, kind: NodeKind, name: &[u8], depth: u32, span: Span) -> usize {
        let name = until_nul(name);
        // Attributes need no closing; the `var` test comes after, as in os_xml.
        self.closed.push(kind == NodeKind::Attribute);
        let kind = if name.eq_ignore_ascii_case(b"var") {
            NodeKind::Variable
        } else {
            kind
        };
        self.doc.nodes.push(XmlNode {
            kind,
            name: (self.keep)(name),
            content: std::borrow::Cow::Borrowed(&[]),
            depth,
            line: self.line,
            span,
            open_tag: span,
            inner: span,
            content_span: span,
        });
        self.doc.nodes.len() - 1
    }

    /// Runs `read` with `N` empty buffers from the pool, and returns them to it afterwards.
    fn with_buffers<const N: usize, T>(
        &mut self,
        read: impl FnOnce(&mut Self, &mut [Vec<u8>; N]) -> T,
    ) -> T {
        let mut buffers: [Vec<u8>; N] =
            std::array::from_fn(|_| self.spare.pop().unwrap_or_default());
        let result = read(self, &mut buffers);
        for mut buffer in buffers {
            buffer.clear();
            self.spare.push(buffer);
        }
        result
    }

    /// os_xml's `_ReadElem`: reads elements at `depth` until the one it started is closed
    /// (or, at the top level, until the end of the file).
    fn read_element(&mut self, depth: u32, recursion: u32) -> Result<(), Stop> {
        // os_xml's three buffers, which share one count: the length of the one in use.
        self.with_buffers(|r, [name, content, closing]| {
            r.read_element_into(depth, recursion, name, content, closing)
        })
    }

    fn read_element_into(
        &mut self,
        depth: u32,
        recursion: u32,
        name: &mut Vec<u8>,
        content: &mut Vec<u8>,
        closing: &mut Vec<u8>,
    ) -> Result<(), Stop> {
        let recursion = recursion + 1;
        if recursion > MAX_RECURSION {
            return Err(self.error(error::Kind::MaxRecursion).into());
        }
        let mut loc = Loc::Outside;
        let mut escaped = false;
        let mut current: Option<usize> = None;
        let mut start_at = 0;
        let mut content_start = 0;
        let mut content_end = 0;
        loop {
            // Fast path for runs of plain text (no `<`, no `\`): what the loop below would do
            // one byte at a time, os_xml's size limit and line count included.
            if matches!(loc, Loc::Outside | Loc::Content) && self.stash.is_empty() {
                let room = if loc == Loc::Content {
                    MAX_SIZE - content.len().min(MAX_SIZE)
                } else {
                    usize::MAX
                };
                let run = self.plain_run(room);
                if !run.is_empty() {
                    escaped = false;
                    if loc == Loc::Content {
                        content.extend_from_slice(run);
                    }
                }
            }
            let c = self.getc();
            if c == EOF {
                break;
            }
            let at = self.last_at;
            if c == b'\\' as i32 {
                escaped = !escaped;
            } else if c != b'<' as i32 && escaped {
                escaped = false;
            }
            let count = match loc {
                Loc::Outside => 0,
                Loc::Name => name.len(),
                Loc::Content => content.len(),
                Loc::Closing => closing.len(),
            };
            if count >= MAX_SIZE {
                return Err(self.error(error::Kind::StringOverflow).into());
            }
            if c == b'<' as i32 && self.comment(at)? {
                continue;
            }
            if loc == Loc::Outside && !escaped {
                if c != b'<' as i32 {
                    continue;
                }
                let next = self.getc();
                let next_at = self.last_at;
                if next == b'/' as i32 {
                    return Err(self.error(error::Kind::ElementNotOpened).into());
                }
                self.ungetc(next, next_at);
                start_at = at;
                loc = Loc::Name;
            } else if loc == Loc::Name && (c == b'>' as i32 || is_space(c)) {
                let mut self_closing = name.last() == Some(&b'/');
                if self_closing {
                    name.pop();
                }
                let node =
                    self.push_node(NodeKind::Element, name, depth, Span::new(start_at, at + 1));
                let mut tag_end = at + 1;
                if is_space(c) {
                    self_closing |= self.read_attributes(depth, 0)?;
                    tag_end = (self.last_at + 1).min(self.src.len());
                }
                self.doc.nodes[node].open_tag = Span::new(start_at, tag_end);
                if self_closing {
                    let n = &mut self.doc.nodes[node];
                    n.span = Span::new(start_at, tag_end);
                    n.inner = Span::new(tag_end, tag_end);
                    n.content_span = n.inner;
                    self.closed[node] = true;
                    name.clear();
                    loc = Loc::Outside;
                    if depth > 0 {
                        return Ok(());
                    }
                } else {
                    current = Some(node);
                    content.clear();
                    content_start = tag_end;
                    loc = Loc::Content;
                }
            } else if loc == Loc::Closing && c == b'>' as i32 {
                if until_nul(closing) != until_nul(name) {
                    let name = until_nul(name).to_vec();
                    let opened = current.map_or(self.line, |n| self.doc.nodes[n].line);
                    let mut e = self.error(error::Kind::ElementNotClosed(name, opened));
                    // Point at the wrong closing tag, not at its `>` where os_xml stops.
                    e.offset = content_end;
                    return Err(e.into());
                }
                let node = current
                    .take()
                    .expect("an element is open while its closing tag is read");
                let kept = self.kept(content, content_start.min(content_end));
                let n = &mut self.doc.nodes[node];
                n.content = kept;
                n.span = Span::new(start_at, at + 1);
                n.inner = Span::new(n.open_tag.end(), content_end);
                n.content_span = Span::new(content_start.min(content_end), content_end);
                self.closed[node] = true;
                name.clear();
                content.clear();
                closing.clear();
                loc = Loc::Outside;
                if depth > 0 {
                    return Ok(());
                }
            } else if loc == Loc::Content && c == b'<' as i32 && !escaped {
                let next = self.getc();
                let next_at = self.last_at;
                if next == b'/' as i32 {
                    content_end = at;
                    closing.clear();
                    loc = Loc::Closing;
                } else {
                    self.ungetc(next, next_at);
                    self.ungetc(b'<' as i32, at);
                    let first = self.doc.nodes.len();
                    let child = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                        self.read_element(depth + 1, recursion)
                    });
                    match child {
                        Ok(()) => {}
                        // A child reaches the end of the file only while still open.
                        Err(Stop::EndOfFile) => {
                            return Err(self.error(error::Kind::EndOfFileUnclosed).into())
                        }
                        Err(e) => return Err(e),
                    }
                    if let (0, Some(parent)) = (depth, current) {
                        self.hand_over(parent, first)?;
                    }
                    content.clear();
                    content_start = (self.last_at + 1).min(self.src.len());
                }
            } else {
                match loc {
                    Loc::Outside => {}
                    Loc::Name => name.push(c as u8),
                    Loc::Content => content.push(c as u8),
                    Loc::Closing => closing.push(c as u8),
                }
                if c == b'<' as i32 {
                    escaped = false;
                }
            }
        }
        if loc == Loc::Outside {
            return Err(Stop::EndOfFile);
        }
        Err(self.error(error::Kind::EndOfFileUnclosed).into())
    }

    /// Offers the child read last (nodes from `first` on) of top-level element `parent` to
    /// the sink, if there is one and `parent` is a `<group>`; drops its nodes if taken.
    fn hand_over(&mut self, parent: usize, first: usize) -> Result<(), XmlError> {
        let Some(sink) = self.sink.as_deref_mut() else {
            return Ok(());
        };
        let p = &self.doc.nodes[parent];
        // Only then is the group, not yet closed, the one node whose text is not final (a
        // `<var>` around elements would define itself after them).
        let whole = first < self.doc.nodes.len() && self.closed[first..].iter().all(|&c| c);
        if p.kind != NodeKind::Element || !p.is_named("group") || !whole {
            return Ok(());
        }
        self.applier.advance(&mut self.doc, &self.closed)?;
        if sink.take(&self.doc, parent, first) {
            self.doc.nodes.truncate(first);
            self.closed.truncate(first);
            self.applier.truncated(first);
        }
        Ok(())
    }

    /// os_xml's `_getattributes`: reads `name="value"` pairs after an element's name up to
    /// the end of its start tag. Ok(true) when the tag ends in `/` (the `>` is left unread,
    /// as os_xml leaves it: it becomes text of the enclosing element).
    fn read_attributes(&mut self, depth: u32, attr_depth: u32) -> Result<bool, XmlError> {
        self.with_buffers(|r, [attr, value]| r.read_attributes_into(depth, attr_depth, attr, value))
    }

    fn read_attributes_into(
        &mut self,
        depth: u32,
        attr_depth: u32,
        attr: &mut Vec<u8>,
        value: &mut Vec<u8>,
    ) -> Result<bool, XmlError> {
        if attr_depth > MAX_ATTRIBUTE_DEPTH {
            return Err(self.error(error::Kind::TooManyAttributes));
        }
        let mut in_value = false;
        let mut quote = 0;
        let mut name_at = 0;
        let mut value_at = 0;
        loop {
            let c = self.getc();
            if c == EOF {
                return Err(self.error(error::Kind::EndOfFileInAttribute));
            }
            let at = self.last_at;
            let count = if in_value { value.len() } else { attr.len() };
            if count >= MAX_SIZE {
                // os_xml prints at most 20 bytes of the name.
                let name = until_nul(attr);
                let shown = &name[..name.len().min(20)];
                return Err(self.error(error::Kind::AttributeOverflow(raw(shown))));
            }
            if c == b'>' as i32 || (!in_value && c == b'/' as i32) {
                if in_value {
                    return Err(self.error(error::Kind::AttributeNotClosed(raw(attr))));
                } else if !attr.is_empty() {
                    return Err(self.error(error::Kind::AttributeNoValue(raw(attr))));
                }
                return Ok(c == b'/' as i32);
            } else if !in_value && c == b'=' as i32 {
                let attr_name = until_nul(attr);
                // The same name already given to this element (os_xml compares exactly).
                let dup = self
                    .doc
                    .nodes
                    .iter()
                    .rev()
                    .take_while(|n| n.depth == depth && n.kind == NodeKind::Attribute)
                    .any(|n| &*n.name == attr_name);
                if dup {
                    return Err(self.error(error::Kind::AttributeAlreadyDefined(raw(attr))));
                }
                let mut q = self.getc();
                if q != b'"' as i32 && q != b'\'' as i32 {
                    let mut quoted = false;
                    if is_space(q) {
                        loop {
                            q = self.getc();
                            if q == EOF || !is_space(q) {
                                quoted = q == b'"' as i32 || q == b'\'' as i32;
                                break;
                            }
                        }
                    }
                    if !quoted {
                        return Err(self.error(error::Kind::AttributeNotQuoted(raw(attr))));
                    }
                }
                quote = q;
                value_at = self.last_at + 1;
                in_value = true;
            } else if !in_value && is_space(c) {
                if attr.is_empty() {
                    continue;
                }
                return Err(self.error(error::Kind::AttributeNoValue(raw(attr))));
            } else if in_value && c == quote {
                let node =
                    self.push_node(NodeKind::Attribute, attr, depth, Span::new(name_at, at + 1));
                let kept = self.kept(value, value_at);
                let n = &mut self.doc.nodes[node];
                n.content = kept;
                n.inner = Span::new(value_at, at);
                n.content_span = n.inner;
                let next = self.getc();
                if is_space(next) {
                    return self.read_attributes(depth, attr_depth + 1);
                } else if next == b'>' as i32 {
                    return Ok(false);
                } else if next == b'/' as i32 {
                    return Ok(true);
                }
                return Err(self.error(error::Kind::BadAttributeClosing(raw(attr), raw(value))));
            } else if !in_value {
                if attr.is_empty() {
                    name_at = at;
                }
                attr.push(c as u8);
            } else {
                value.push(c as u8);
            }
        }
    }
}

#[derive(PartialEq)]
enum Loc {
    Outside,
    Name,
    Content,
    Closing,
}

fn is_space(c: i32) -> bool {
    matches!(c, 0x20 | 0x09..=0x0d)
}

fn raw(b: &[u8]) -> Vec<u8> {
    until_nul(b).to_vec()
}

/// C strings end at the first NUL byte.
fn until_nul(b: &[u8]) -> &[u8] {
    match memchr::memchr(0, b) {
        Some(i) => &b[..i],
        None => b,
    }
}
