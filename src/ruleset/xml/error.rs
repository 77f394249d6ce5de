//! Why the manager's XML reader refuses a file: its own message, and the same in plain words.

use std::fmt;

/// A file os_xml refuses, with the line os_xml names and the byte where we stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub kind: Kind,
    /// The line os_xml reports (1-based).
    pub line: u32,
    /// The byte of the original text where reading stopped.
    pub offset: usize,
}

/// Each way os_xml (reading, then applying variables) gives up on a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The element's name and the line its start tag ended on.
    ElementNotClosed(Vec<u8>, u32),
    ElementNotOpened,
    CommentNotClosed,
    StringOverflow,
    MaxRecursion,
    EndOfFileUnclosed,
    TooManyAttributes,
    AttributeOverflow(Vec<u8>),
    AttributeNotClosed(Vec<u8>),
    AttributeNoValue(Vec<u8>),
    AttributeAlreadyDefined(Vec<u8>),
    AttributeNotQuoted(Vec<u8>),
    BadAttributeClosing(Vec<u8>, Vec<u8>),
    EndOfFileInAttribute,
    UnknownVariable(Vec<u8>),
    VariableNameTooLong(usize),
    VariableDefinitionNameTooLong,
    VariableAttributeNotName,
    VariableWithoutValue,
}

impl XmlError {
    /// The bytes os_xml puts in its error buffer, exactly (the manager logs them).
    pub fn manager_message(&self) -> Vec<u8> {
        let quoted =
            |pre: &str, name: &[u8], post: &str| [pre.as_bytes(), name, post.as_bytes()].concat();
        let m: Vec<u8> = match &self.kind {
            Kind::ElementNotClosed(e, _) => quoted("Element '", e, "' not closed."),
            Kind::ElementNotOpened => b"Element not opened.".to_vec(),
            Kind::CommentNotClosed => b"Comment not closed.".to_vec(),
            Kind::StringOverflow => b"String overflow.".to_vec(),
            Kind::MaxRecursion => b"Max recursion level reached".to_vec(),
            Kind::EndOfFileUnclosed => b"End of file and some elements were not closed.".to_vec(),
            Kind::TooManyAttributes => b"Too many attributes.".to_vec(),
            Kind::AttributeOverflow(a) => quoted("Overflow attempt at attribute '", a, "'."),
            Kind::AttributeNotClosed(a) => quoted("Attribute '", a, "' not closed."),
            Kind::AttributeNoValue(a) => quoted("Attribute '", a, "' has no value."),
            Kind::AttributeAlreadyDefined(a) => quoted("Attribute '", a, "' already defined."),
            Kind::AttributeNotQuoted(a) => quoted("Attribute '", a, "' not followed by a \" or '."),
            Kind::BadAttributeClosing(a, v) => [
                quoted("Bad attribute closing for '", a, "'="),
                quoted("'", v, "'."),
            ]
            .concat(),
            Kind::EndOfFileInAttribute => b"End of file while reading an attribute.".to_vec(),
            Kind::UnknownVariable(v) => quoted("Unknown variable: '", &v[..v.len().min(95)], "'."),
            Kind::VariableNameTooLong(n) => {
                format!("Invalid variable name size: '{n}'.").into_bytes()
            }
            Kind::VariableDefinitionNameTooLong => b"Invalid variable name size.".to_vec(),
            Kind::VariableAttributeNotName => {
                b"Only \"name\" is allowed as an attribute for a variable.".to_vec()
            }
            Kind::VariableWithoutValue => b"No value set for variable.".to_vec(),
        };
        // os_xml's error buffer holds 127 bytes at most.
        let mut out = [b"XMLERR: ".as_slice(), &m].concat();
        out.truncate(126);
        out
    }
}

fn lossy(b: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(b)
}

/// Plain words: what is wrong and what to do, then os_xml's own message.
impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = match &self.kind {
            Kind::ElementNotClosed(e, opened) => {
                let e = lossy(e);
                format!("the <{e}> opened on line {opened} is not closed here (a misspelt or misplaced closing tag, or a `\\` right before `<` that escapes it)")
            }
            Kind::ElementNotOpened => "a closing tag with no element open".into(),
            Kind::CommentNotClosed => "a comment (or a `<!DOCTYPE`, `<![CDATA[`) that never ends: the manager ends `<!` only at `-->` or `!>`".into(),
            Kind::StringOverflow => "a name or text longer than the manager's limit of 20,479 bytes".into(),
            Kind::MaxRecursion => "elements nested more than 1,024 deep".into(),
            Kind::EndOfFileUnclosed => "the file ends while an element is still open".into(),
            Kind::TooManyAttributes => "too many attributes on one element (the manager reads at most 49)".into(),
            Kind::AttributeOverflow(a) => { let a = lossy(a); format!("attribute `{a}` is longer than the manager's limit of 20,479 bytes") },
            Kind::AttributeNotClosed(a) => { let a = lossy(a); format!("the value of attribute `{a}` contains `>` or has no closing quote") },
            Kind::AttributeNoValue(a) => { let a = lossy(a); format!("attribute `{a}` has no value (write `{a}=\"...\"`, with no space before `=`)") },
            Kind::AttributeAlreadyDefined(a) => { let a = lossy(a); format!("attribute `{a}` is given twice") },
            Kind::AttributeNotQuoted(a) => { let a = lossy(a); format!("the value of attribute `{a}` is not in quotes") },
            Kind::BadAttributeClosing(a, _) => { let a = lossy(a); format!("after the value of attribute `{a}` the manager expects a space, `>` or `/>` (an XML declaration `<?xml ...?>` is not accepted either)") },
            Kind::EndOfFileInAttribute => "the file ends inside a start tag".into(),
            Kind::UnknownVariable(v) => { let v = lossy(v); format!("`${v}` is used but no `<var name=\"{v}\">` is defined before it (variable names ignore case)") },
            Kind::VariableNameTooLong(_) => "a `$` variable name of 255 characters or more".into(),
            Kind::VariableDefinitionNameTooLong => "a <var> name of 256 characters or more".into(),
            Kind::VariableAttributeNotName => "a <var> with an attribute other than `name`".into(),
            Kind::VariableWithoutValue => "a <var> without a `name` attribute".into(),
        };
        write!(
            f,
            "the manager refuses this file: {plain} [os_xml: \"{}\"]",
            lossy(&self.manager_message())
        )
    }
}

impl std::error::Error for XmlError {}
