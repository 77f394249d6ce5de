//! Bad input never panics, hangs or half-writes: each case with its exact outcome (a located
//! error, exit 2, the other files still processed, nothing written). Where the manager's
//! reader decides the verdict, it is checked against os_xml itself.

use crate::common::cli::{lint_concise, run};
use crate::common::oracle::manager_reads;
use crate::common::write;
use std::path::Path;

const GOOD: &str = "<group name=\"g\">\n  <rule id=\"100001\" level=\"5\">\n    <if_sid>5716</if_sid>\n    <description>x</description>\n    <mitre><id>T1086</id></mitre>\n  </rule>\n</group>\n";

/// Lints `bad` beside a good file: (exit, output); the good file's finding must be there.
fn lint_beside_good(bad: &Path) -> (i32, String) {
    let dir = bad.parent().unwrap();
    let good = write(dir, "good.xml", GOOD.as_bytes());
    let (code, out, err) = lint_concise(&[bad.to_str().unwrap(), good.to_str().unwrap()]);
    assert!(
        out.contains("good.xml:5:16: WM104"),
        "the other file was not linted:\n{out}{err}"
    );
    (code, out + &err)
}

/// The manager's reader and ours agree on `bytes` (its verdict is not asserted here).
fn assert_manager_agrees(bytes: &[u8]) {
    manager_reads(bytes);
}

#[test]
fn refused_files_give_the_managers_reason_at_its_line_and_exit_2() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf16.xml", GOOD.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>().into_iter().fold(vec![0xff, 0xfe], |mut v, b| { v.push(b); v }), "the file is UTF-16"),
        ("binary.xml", (0..=255u8).cycle().take(10_000).collect(), "End of file and some elements were not closed"),
        ("deep.xml", [b"<group name=\"g\">".to_vec(), b"<a>".repeat(10_000), b"</a>".repeat(10_000), b"</group>".to_vec()].concat(), "Max recursion level reached"),
        ("desc.xml", [&b"<group name=\"g\"><rule id=\"100001\" level=\"3\"><description>"[..], &vec![b'x'; 1 << 20], b"</description></rule></group>"].concat(), "String overflow"),
        ("doctype.xml", b"<!DOCTYPE r [<!ENTITY t \"T1059\">]>\n<group name=\"g\"><rule id=\"100001\" level=\"3\"><description>x</description><mitre><id>&t;</id></mitre></rule></group>\n".to_vec(), "Comment not closed"),
    ];
    for (name, bytes, reason) in cases {
        assert_manager_agrees(&bytes);
        let dir = tempfile::tempdir().unwrap();
        let bad = write(dir.path(), name, &bytes);
        let (code, out) = lint_beside_good(&bad);
        assert_eq!(code, 2, "{name}: {out}");
        let line = out
            .lines()
            .find(|l| l.contains(name) && l.contains("WM000"))
            .unwrap_or_else(|| panic!("{name}: {out}"));
        assert!(line.contains(reason), "{name}: {line}");
        // Located: file:line:column.
        let loc: Vec<&str> = line.split(':').take(3).collect();
        assert!(
            loc[1].parse::<usize>().is_ok() && loc[2].parse::<usize>().is_ok(),
            "{line}"
        );
    }
}

#[test]
fn entities_in_a_doctype_are_never_expanded() {
    // The manager swallows the DOCTYPE as a comment; the tag text stays `&t;` in the salvage.
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "doctype.xml", b"<!DOCTYPE r [<!ENTITY t \"T1059\">]>\n<group name=\"g\"><rule id=\"100001\" level=\"3\"><description>x</description><mitre><id>&t;</id></mitre></rule></group>\n");
    let (_, out) = lint_beside_good(&bad);
    assert!(out.contains("`&t;` is not an ATT&CK technique id"), "{out}");
    assert!(
        out.lines()
            .filter(|l| l.contains("doctype.xml"))
            .all(|l| !l.contains("T1059")),
        "{out}"
    );
}

#[test]
fn empty_and_comment_only_files_are_accepted_as_the_manager_accepts_them() {
    for (name, bytes) in [
        ("empty.xml", &b""[..]),
        ("comments.xml", &b"<!-- only -->\n<!-- comments -->\n"[..]),
    ] {
        assert_manager_agrees(bytes);
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), name, bytes);
        let (code, out, err) = lint_concise(&[p.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {out}{err}");
        assert!(out.contains("0 rules in 1 file"), "{out}");
    }
}

#[test]
fn ten_thousand_parents_and_a_large_file_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let sids: Vec<u8> = (0..10_000)
        .flat_map(|i| format!("<if_sid>{i}</if_sid>").into_bytes())
        .collect();
    let text = [
        &b"<group name=\"g\"><rule id=\"100001\" level=\"3\">"[..],
        &sids,
        b"<description>x</description></rule></group>",
    ]
    .concat();
    assert_manager_agrees(&text);
    let f = wazuh_mitre::ruleset::read::parse_bytes("s.xml".into(), text).unwrap();
    assert_eq!(f.rules[0].parents.len(), 10_000);
    // About 50 MB: 100,000 copies of the good rule in one file, with their own ids.
    let rule = "  <rule id=\"ID\" level=\"5\">\n    <if_sid>5716</if_sid>\n    <description>a rule of a very large generated file, padded to make it big enough</description>\n    <mitre><id>T1110</id></mitre>\n    <field name=\"data.x\">some value that takes up space in every single generated rule of this file</field>\n  </rule>\n";
    let mut big = String::from("<group name=\"big\">\n");
    let mut i = 0;
    while big.len() < 50 << 20 {
        big.push_str(&rule.replace("ID", &(100_000 + i % 20_000).to_string()));
        i += 1;
    }
    big.push_str("</group>\n");
    let p = write(dir.path(), "big.xml", big.as_bytes());
    let (code, out, err) = lint_concise(&["--select", "WM104", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("{i} rules in 1 file")),
        "{}",
        &out[out.len().saturating_sub(300)..]
    );
}

#[test]
fn a_file_of_4_gib_or_more_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("huge.xml");
    // Sparse: 4 GiB of size, no data; read, it would take 4 GiB of memory.
    let file = std::fs::File::create(&bad).unwrap();
    file.set_len(u64::from(u32::MAX) + 1).unwrap();
    let (code, out) = lint_beside_good(&bad);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("huge.xml:1:1: WM000")
            && out
                .contains("the file has 4294967296 bytes; wazuh-mitre reads files of up to 4 GiB"),
        "{out}"
    );
}

#[test]
fn links_loops_and_fifos_never_hang() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("rules");
    std::fs::create_dir(&d).unwrap();
    write(&d, "a.xml", GOOD.as_bytes());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&d, d.join("loop")).unwrap();
        let fifo = d.join("fifo.xml");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        // A fifo inside a folder is passed over; the folder's rules are linted.
        let (code, out, err) = lint_concise(&[d.to_str().unwrap()]);
        assert_eq!(code, 0, "a warning does not fail the run: {out}{err}");
        assert!(
            out.contains("a.xml:5:16: WM104") && out.contains("in 1 file"),
            "{out}"
        );
        // Named on the command line, it is refused, not read.
        let (code, _, err) = run(&["lint", "--no-default-ruleset", fifo.to_str().unwrap()]);
        assert_eq!(code, 2);
        assert!(err.contains("fifo.xml: not a regular file"), "{err}");
    }
}

#[test]
fn fix_write_leaves_a_file_it_cannot_replace_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("ro");
    std::fs::create_dir(&d).unwrap();
    let p = write(&d, "local_rules.xml", GOOD.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o555)).unwrap();
        let (code, out, err) = run(&[
            "fix",
            "--write",
            "--no-default-ruleset",
            p.to_str().unwrap(),
        ]);
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        if std::fs::File::create(d.join("probe")).is_ok() && unsafe_is_root() {
            // Root writes into a read-only folder anyway: the fix is applied whole.
            assert_eq!(code, 0, "{out}{err}");
            assert!(std::fs::read_to_string(&p).unwrap().contains("T1059.001"));
        } else {
            assert_eq!(code, 2, "{out}{err}");
            assert!(
                err.contains("local_rules.xml") && err.contains("cannot write"),
                "{err}"
            );
            assert_eq!(std::fs::read_to_string(&p).unwrap(), GOOD);
        }
        let leftovers: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "a temporary file was left behind");
    }
}

/// Whether this process runs as root (who may write anywhere).
fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"))
}

#[test]
fn attack_data_that_is_not_a_usable_bundle_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "r.xml", GOOD.as_bytes());
    for (name, bytes) in [
        ("not-stix.json", &b"{\"hello\": 1}"[..]),
        (
            "truncated.json",
            &b"{\"type\": \"bundle\", \"objects\": [{\"type\": \"attack-pat"[..],
        ),
        (
            "empty-bundle.json",
            &b"{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": []}"[..],
        ),
        ("binary.json", &[0u8, 159, 146, 150][..]),
    ] {
        let bundle = write(dir.path(), name, bytes);
        let (code, _, err) = run(&[
            "lint",
            "--no-default-ruleset",
            "--attack-data",
            bundle.to_str().unwrap(),
            good.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(
            err.starts_with("error: ") && !err.contains("panicked"),
            "{name}: {err}"
        );
    }
}
