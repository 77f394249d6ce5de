//! A new `<mitre>` block, written in the file's own style and placed where Wazuh's own
//! rules put it: right after `<description>`.

use crate::checks::Edit;
use crate::ruleset::{Rule, Span};
use xmlwriter::{Indent, Options, XmlWriter};

/// The file's line ending: CRLF when it has any, LF otherwise.
pub fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The whitespace before `at` on its line, when only whitespace stands there.
fn indentation_before(text: &str, at: usize) -> Option<&str> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let lead = &text[line_start..at];
    lead.chars().all(|c| c == ' ' || c == '\t').then_some(lead)
}

/// One indentation step of the file, from a rule's children against the rule itself.
fn indent_unit(text: &str, rule: &Rule, child_indent: &str) -> String {
    let rule_indent = indentation_before(text, rule.span.start()).unwrap_or("");
    match child_indent.strip_prefix(rule_indent) {
        Some(step) if !step.is_empty() => step.to_string(),
        _ if child_indent.starts_with('\t') => "\t".to_string(),
        _ => "  ".to_string(),
    }
}

/// `<id>T1110</id>`, escaped by xmlwriter.
fn id_element(id: &str) -> String {
    let mut w = XmlWriter::new(Options {
        indent: Indent::None,
        ..Options::default()
    });
    w.start_element("id");
    // xmlwriter escapes `<`; `&` is ours (ids never carry one, but text is text).
    w.write_text(&id.replace('&', "&amp;"));
    w.end_element();
    w.end_document()
}

/// The edit that adds a `<mitre>` block with `ids` to `rule`.
pub fn add_block(text: &str, rule: &Rule, ids: &[String]) -> Option<Edit> {
    if ids.is_empty() {
        return None;
    }
    let eol = line_ending(text);
    let anchor = rule.insert_after?;
    let child_indent = indentation_before(text, anchor.start());
    let after = anchor.end();
    let rest_of_line = &text[after..];
    let line_end = rest_of_line.find('\n').map(|i| after + i + 1);
    let only_space_after = line_end
        .map(|e| text[after..e].trim().is_empty())
        .unwrap_or(rest_of_line.trim().is_empty());
    match (child_indent, line_end, only_space_after) {
        (Some(ind), Some(insert_at), true) => {
            let unit = indent_unit(text, rule, ind);
            let mut block = format!("{ind}<mitre>{eol}");
            for id in ids {
                block.push_str(&format!("{ind}{unit}{}{eol}", id_element(id)));
            }
            block.push_str(&format!("{ind}</mitre>{eol}"));
            Some(Edit::insert(insert_at, block))
        }
        // A one-line rule, or a description followed by more on its line: stay inline.
        _ => {
            let ids: String = ids.iter().map(|i| id_element(i)).collect();
            Some(Edit::replace(
                Span::new(after, after),
                format!("<mitre>{ids}</mitre>"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::model::SourceFile;
    use crate::ruleset::read::parse;

    fn add(text: &str, ids: &[&str]) -> String {
        let f = parse(SourceFile::new("t.xml".into(), text.into())).unwrap();
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        let e = add_block(text, &f.rules[0], &ids).unwrap();
        crate::rewrite::edits::apply(text, vec![e]).0
    }

    #[test]
    fn follows_the_files_indentation_and_line_endings() {
        let t = "<group name=\"g\">\r\n\t<rule id=\"1\" level=\"3\">\r\n\t\t<description>x</description>\r\n\t\t<group>a,</group>\r\n\t</rule>\r\n</group>";
        assert_eq!(
            add(t, &["T1110"]),
            "<group name=\"g\">\r\n\t<rule id=\"1\" level=\"3\">\r\n\t\t<description>x</description>\r\n\t\t<mitre>\r\n\t\t\t<id>T1110</id>\r\n\t\t</mitre>\r\n\t\t<group>a,</group>\r\n\t</rule>\r\n</group>"
        );
        let t = "<group name=\"g\">\n  <rule id=\"1\" level=\"3\">\n    <description>x</description>\n  </rule>\n</group>\n";
        assert!(add(t, &["T1110", "T1078"]).contains("    <description>x</description>\n    <mitre>\n      <id>T1110</id>\n      <id>T1078</id>\n    </mitre>\n  </rule>"));
    }

    #[test]
    fn one_line_rules_get_an_inline_block() {
        let t = "<group name=\"g\"><rule id=\"1\" level=\"3\"><description>x</description></rule></group>";
        assert_eq!(
            add(t, &["T1110"]),
            "<group name=\"g\"><rule id=\"1\" level=\"3\"><description>x</description><mitre><id>T1110</id></mitre></rule></group>"
        );
    }
}
