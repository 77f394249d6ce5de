//! `$VAR`s, applied as the manager's `OS_ApplyVariables` applies them.
//!
//! What a reader of the docs would not guess, and the manager does:
//! - a `<var>` counts only for text that comes after it in the file, and names ignore case;
//! - every element's text and every attribute value is rewritten, `level="$LVL"` included;
//! - text of two bytes or fewer is left alone (`$A` stays `$A`), and so is everything while no
//!   variable is defined yet (then `$UNDEFINED` is no error);
//! - a name ends at `$`, `.`, `|`, `,`, a space or the end; `$(field)` is a placeholder for
//!   alert time and left as it is; any other unknown name refuses the whole file;
//! - after a `$(field)` placeholder the manager loses count of where it is, so a variable
//!   later in the same text is spliced in a few bytes early. We do the same, on purpose: the
//!   rule the manager loads is the rule we must check.

use super::error::Kind;
use super::{NodeKind, XmlDocument, XmlError};

/// A variable's name and value.
type Definition<'a> = (std::borrow::Cow<'a, [u8]>, std::borrow::Cow<'a, [u8]>);

/// os_xml's buffer for a variable name.
const MAX_VARIABLE_NAME: usize = 256;

/// Applies every `<var>` of `doc` to the text after it, in place.
pub fn apply(doc: &mut XmlDocument<'_>) -> Result<(), XmlError> {
    let mut applier = Applier::default();
    applier.advance(doc, &[])?;
    applier.finish(doc)
}

/// `OS_ApplyVariables`' walk over the nodes in file order, done in steps, so that a file can
/// be read into rules while it is still being read (see [`super::read_streaming`]).
#[derive(Default)]
pub struct Applier<'a> {
    /// Definitions seen so far: (name, value).
    vars: Vec<Definition<'a>>,
    /// Nodes before this one have been walked.
    done: usize,
    /// Elements still open when walked (a `<group>` around the rules being read), with how
    /// many definitions came before them: their text is final only once they close.
    open: Vec<(usize, usize)>,
}

impl<'a> Applier<'a> {
    /// Walks the nodes not walked yet. `closed[i]` says whether node `i` is complete; nodes
    /// past its end are (an empty slice: every node is).
    pub fn advance(&mut self, doc: &mut XmlDocument<'a>, closed: &[bool]) -> Result<(), XmlError> {
        for i in self.done..doc.nodes.len() {
            if !closed.get(i).copied().unwrap_or(true) {
                self.open.push((i, self.vars.len()));
                continue;
            }
            self.walk(doc, i, self.vars.len())?;
        }
        self.done = doc.nodes.len();
        Ok(())
    }

    /// Nodes from `at` on were dropped (read into rules already): the walk goes on from there.
    pub fn truncated(&mut self, at: usize) {
        self.done = self.done.min(at);
        self.open.retain(|&(i, _)| i < at);
    }

    /// Walks the elements that were open, each with the definitions that came before it.
    pub fn finish(mut self, doc: &mut XmlDocument<'a>) -> Result<(), XmlError> {
        for (i, known) in std::mem::take(&mut self.open) {
            self.walk(doc, i, known)?;
        }
        Ok(())
    }

    /// One node: a definition to remember, or a text to rewrite with the first `known`
    /// definitions.
    fn walk(&mut self, doc: &mut XmlDocument<'a>, i: usize, known: usize) -> Result<(), XmlError> {
        match doc.nodes[i].kind {
            NodeKind::Variable => self.vars.push(definition(doc, i)?),
            NodeKind::Element | NodeKind::Attribute => {
                let text = &doc.nodes[i].content;
                let vars = &self.vars[..known];
                if text.len() <= 2 || vars.is_empty() || !text.contains(&b'$') {
                    return Ok(());
                }
                let replaced = substitute(text, vars).map_err(|kind| XmlError {
                    kind,
                    line: doc.nodes[i].line,
                    offset: doc.nodes[i].content_span.start(),
                })?;
                doc.nodes[i].content = replaced.into();
            }
        }
        Ok(())
    }
}

/// The name and value of the variable defined by node `i`: its value is its text, its name
/// the first attribute os_xml finds after it at its depth or deeper (which must be `name`).
fn definition<'a>(doc: &XmlDocument<'a>, i: usize) -> Result<Definition<'a>, XmlError> {
    let var = &doc.nodes[i];
    for n in &doc.nodes[i + 1..] {
        if n.depth < var.depth {
            break;
        }
        if n.kind != NodeKind::Attribute {
            continue;
        }
        let fail = |kind| XmlError {
            kind,
            line: n.line,
            offset: n.span.start(),
        };
        if !n.name.eq_ignore_ascii_case(b"name") {
            return Err(fail(Kind::VariableAttributeNotName));
        }
        if n.content.len() >= MAX_VARIABLE_NAME {
            return Err(fail(Kind::VariableDefinitionNameTooLong));
        }
        return Ok((n.content.clone(), var.content.clone()));
    }
    Err(XmlError {
        kind: Kind::VariableWithoutValue,
        line: var.line,
        offset: var.span.start(),
    })
}

fn ends_name(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b'$' | b'.' | b'|' | b',' | b' '))
}

/// One text with the variables applied, following os_xml's loop step by step: `p` walks the
/// original text, `init` is where os_xml believes it is in the rewritten one.
fn substitute(original: &[u8], vars: &[Definition]) -> Result<Vec<u8>, Kind> {
    let mut out = original.to_vec();
    let mut p = 0;
    let mut init = 0;
    while p < original.len() {
        if original[p] != b'$' {
            p += 1;
            init += 1;
            continue;
        }
        p += 1;
        let name_start = p;
        while !ends_name(original.get(p)) {
            if p - name_start >= MAX_VARIABLE_NAME - 1 {
                return Err(Kind::VariableNameTooLong(p - name_start));
            }
            p += 1;
        }
        let name = &original[name_start..p];
        if let Some((_, value)) = vars.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            // os_xml: keep `init` bytes of the current text, then the value, then the rest of
            // the original from the byte that ended the name.
            let keep = init.min(out.len());
            let mut next = Vec::with_capacity(keep + value.len() + original.len() - p);
            next.extend_from_slice(&out[..keep]);
            next.extend_from_slice(value);
            init = next.len();
            next.extend_from_slice(&original[p..]);
            out = next;
        } else if name.first() == Some(&b'(') {
            // A `$(field)` placeholder; os_xml moves on without counting it.
        } else if !name.is_empty() {
            return Err(Kind::UnknownVariable(name.to_vec()));
        } else {
            init += 1;
        }
        // The byte that ended the name is looked at again.
    }
    Ok(out)
}
