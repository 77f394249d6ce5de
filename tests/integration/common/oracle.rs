//! The manager's own XML reader as a test oracle.
//!
//! `tests/oracle/manager_reader_dump.c` (ours; no os_xml code in it) is compiled with `cc`
//! against os_xml's sources where they stand in `../shared/wazuh-src-4.14.7` (GPLv2; built into
//! the test target folder, never shipped, never copied here) and prints, per file, whether os_xml refuses it (message and
//! line) or the element tree after variables. [`our_view`] prints our reader's verdict and
//! tree in the same format, so the two compare as text.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use wazuh_mitre::ruleset::xml::{self, XmlDocument};

/// The compiled harness, or None (with a notice) when `../shared` or `cc` is missing.
pub fn harness() -> Option<&'static Path> {
    static BUILT: OnceLock<Option<PathBuf>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let shared = super::shared()?;
            let src = shared.join("wazuh-src-4.14.7/src/os_xml");
            let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("oracle");
            std::fs::create_dir_all(&out_dir).unwrap();
            // One binary per test process: tests run in parallel processes.
            let out = out_dir.join(format!("manager_reader_dump-{}", std::process::id()));
            let here = super::repo().join("tests/oracle");
            let status = Command::new("cc")
                .args(["-O1", "-w", "-I"])
                .arg(here.join("include"))
                .arg("-I")
                .arg(&src)
                .arg("-o")
                .arg(&out)
                .arg(here.join("manager_reader_dump.c"))
                .args(
                    [
                        "os_xml.c",
                        "os_xml_access.c",
                        "os_xml_node_access.c",
                        "os_xml_variables.c",
                    ]
                    .map(|f| src.join(f)),
                )
                .status();
            match status {
                Ok(s) if s.success() => Some(out),
                other => panic!("cannot build the os_xml oracle with cc: {other:?}"),
            }
        })
        .as_deref()
}

/// What the manager's reader makes of each file, in order: one text block per file.
pub fn manager_view(harness: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut views = Vec::new();
    for chunk in files.chunks(200) {
        let out = Command::new(harness).args(chunk).output().unwrap();
        assert!(
            out.status.success(),
            "the oracle crashed on one of {chunk:?}"
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let mut current: Option<String> = None;
        for line in text.lines() {
            if line.starts_with("FILE ") {
                views.extend(current.take());
                current = Some(String::new());
            } else {
                let v = current.as_mut().expect("output starts with FILE");
                v.push_str(line);
                v.push('\n');
            }
        }
        views.extend(current);
    }
    assert_eq!(views.len(), files.len());
    views
}

/// Our reader's verdict and tree, in the harness's format.
pub fn our_view(bytes: &[u8]) -> String {
    match xml::read(bytes) {
        Err(e) => format!("REFUSED {} {}\n", e.line, escape(&e.manager_message())),
        Ok(doc) => {
            let mut out = String::from("READ\n");
            dump(&doc, None, 0, &mut out);
            out
        }
    }
}

fn dump(doc: &XmlDocument, parent: Option<usize>, depth: usize, out: &mut String) {
    for i in doc.children(parent) {
        let n = &doc.nodes[i];
        out.push_str(&format!("{depth} E {}\n", escape(&n.name)));
        for a in doc.attributes(i) {
            out.push_str(&format!(
                "{depth} A {}={}\n",
                escape(&a.name),
                escape(&a.content)
            ));
        }
        out.push_str(&format!("{depth} C {}\n", escape(&n.content)));
        dump(doc, Some(i), depth + 1, out);
    }
}

/// As the harness prints bytes: printable ASCII as is, `\` doubled, the rest as `\xNN`.
pub fn escape(bytes: &[u8]) -> String {
    let mut s = String::new();
    for &b in bytes {
        match b {
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s
}

/// The bytes behind [`escape`]d text, shown as our model shows text (invalid UTF-8 as U+FFFD).
pub fn model_text(escaped: &str) -> String {
    let b = escaped.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else if b[i] == b'\\' && b.get(i + 1) == Some(&b'x') {
            out.push(u8::from_str_radix(&escaped[i + 2..i + 4], 16).unwrap());
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One element of the manager's tree, read back from its view.
#[derive(Debug, Default)]
pub struct ManagerElement {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub content: String,
    pub children: Vec<ManagerElement>,
}

impl ManagerElement {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The top-level elements of a view that reads (None for a refused file). Text is kept in
/// the escaped form, which is what we compare.
pub fn manager_tree(view: &str) -> Option<Vec<ManagerElement>> {
    let mut lines = view.lines();
    if lines.next()? != "READ" {
        return None;
    }
    let mut stack: Vec<ManagerElement> = Vec::new();
    let mut depths: Vec<usize> = Vec::new();
    let mut roots = Vec::new();
    let finish = |stack: &mut Vec<ManagerElement>,
                  depths: &mut Vec<usize>,
                  roots: &mut Vec<ManagerElement>| {
        let done = stack.pop().unwrap();
        depths.pop();
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    };
    for line in lines {
        let (depth, rest) = line.split_once(' ').unwrap();
        let depth: usize = depth.parse().unwrap();
        let (kind, body) = rest.split_at(1);
        let body = body.strip_prefix(' ').unwrap_or("");
        match kind {
            "E" => {
                while depths.last().is_some_and(|&d| d >= depth) {
                    finish(&mut stack, &mut depths, &mut roots);
                }
                stack.push(ManagerElement {
                    name: body.to_string(),
                    ..Default::default()
                });
                depths.push(depth);
            }
            "A" => {
                let (n, v) = body.split_once('=').unwrap();
                stack
                    .last_mut()
                    .unwrap()
                    .attributes
                    .push((n.into(), v.into()));
            }
            "C" => stack.last_mut().unwrap().content = body.to_string(),
            other => panic!("unexpected line kind {other}"),
        }
    }
    while !stack.is_empty() {
        finish(&mut stack, &mut depths, &mut roots);
    }
    Some(roots)
}

/// Asserts the manager's reader and ours agree on `bytes` (when the oracle can be built);
/// returns whether the file is read.
pub fn manager_reads(bytes: &[u8]) -> bool {
    let ours = our_view(bytes);
    if let Some(h) = harness() {
        let dir = tempfile::tempdir().unwrap();
        let p = super::write(dir.path(), "case.xml", bytes);
        assert_eq!(
            manager_view(h, &[p])[0],
            ours,
            "the manager's reader disagrees"
        );
    }
    ours.starts_with("READ")
}
