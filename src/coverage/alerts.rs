//! Wazuh alerts (`alerts.json`: one JSON object per line; rotated `.gz` files too), read as a
//! stream in constant memory: per technique, how many alerts carried it; per rule that fired
//! with no technique, how many times. A bad line is counted and named, never fatal.

use super::Fired;
use crate::attack::AttackVersion;
use serde::Deserialize;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// Longer lines are counted as bad and skipped without being held in memory.
pub const MAX_LINE: usize = 1 << 20;
/// How many bad lines the report names (all are counted).
const EXAMPLES: usize = 20;
/// How many agents the report names per technique.
const AGENTS_NAMED: usize = 10;

#[derive(Deserialize)]
struct Alert {
    rule: Option<AlertRule>,
    timestamp: Option<String>,
    agent: Option<AlertAgent>,
}

#[derive(Deserialize)]
struct AlertAgent {
    name: Option<String>,
}

#[derive(Deserialize)]
struct AlertRule {
    id: Option<serde_json::Value>,
    mitre: Option<AlertMitre>,
}

#[derive(Deserialize)]
struct AlertMitre {
    #[serde(default)]
    id: Vec<String>,
}

/// Reads every file; Err only for a file that cannot be opened or read.
pub fn read_all(paths: &[PathBuf], version: &AttackVersion) -> Result<Fired, (PathBuf, String)> {
    let mut fired = Fired::default();
    let mut agents = std::collections::BTreeSet::new();
    for path in paths {
        read_file(path, version, &mut fired, &mut agents).map_err(|e| (path.clone(), e))?;
        fired.files.push(crate::ruleset::paths::display_path(path));
    }
    fired.agents = agents.len() as u64;
    Ok(fired)
}

fn read_file(
    path: &Path,
    version: &AttackVersion,
    fired: &mut Fired,
    agents: &mut std::collections::BTreeSet<String>,
) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut buffered = BufReader::with_capacity(1 << 16, file);
    let gz = buffered
        .fill_buf()
        .map_err(|e| format!("cannot read: {e}"))?
        .starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    };
    let shown = crate::ruleset::paths::display_path(path);
    let bad = |fired: &mut Fired, n: u64, why: &str| {
        fired.bad_lines += 1;
        if fired.bad_line_examples.len() < EXAMPLES {
            fired.bad_line_examples.push(format!("{shown}:{n}: {why}"));
        }
    };
    let mut n = 0u64;
    let result = for_each_line(reader, |line, too_long| {
        n += 1;
        fired.lines += 1;
        if too_long {
            bad(fired, n, "line longer than 1 MiB");
            return;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let alert: Alert = match serde_json::from_slice(line) {
            Ok(a) => a,
            Err(e) => return bad(fired, n, &format!("not a JSON alert ({e})")),
        };
        let Some(rule) = alert.rule else {
            return bad(fired, n, "no `rule` object");
        };
        let id = match rule.id {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Number(x)) => x.to_string(),
            _ => return bad(fired, n, "no `rule.id`"),
        };
        fired.alerts += 1;
        if let Some(ts) = alert.timestamp {
            // ISO 8601 from one manager: the text order is the time order.
            if fired.first_seen.as_ref().is_none_or(|f| ts < *f) {
                fired.first_seen = Some(ts.clone());
            }
            if fired.last_seen.as_ref().is_none_or(|l| ts > *l) {
                fired.last_seen = Some(ts);
            }
        }
        let agent = alert.agent.and_then(|a| a.name);
        if let Some(name) = &agent {
            if !agents.contains(name) {
                agents.insert(name.clone());
            }
        }
        let ids = rule.mitre.map(|m| m.id).unwrap_or_default();
        if ids.is_empty() {
            *fired.fired_untagged.entry(id).or_default() += 1;
        }
        for t in ids {
            let current = version
                .resolve(t.trim())
                .and_then(|r| r.current().map(|c| c.id.clone()))
                .unwrap_or(t);
            if let Some(name) = &agent {
                let on = fired
                    .agents_by_technique
                    .entry(current.clone())
                    .or_default();
                if on.len() < AGENTS_NAMED && !on.contains(name) {
                    on.push(name.clone());
                }
            }
            *fired.by_technique.entry(current).or_default() += 1;
        }
    });
    result.map_err(|e| format!("cannot read after line {n}: {e}"))
}

/// Calls `f` with each line (without its line break) and whether it was longer than
/// [`MAX_LINE`] (then its bytes are not kept).
fn for_each_line(mut reader: impl BufRead, mut f: impl FnMut(&[u8], bool)) -> std::io::Result<()> {
    let mut line: Vec<u8> = Vec::new();
    let mut too_long = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            if !line.is_empty() || too_long {
                f(&line, too_long);
            }
            return Ok(());
        }
        let (part, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], i + 1),
            None => (chunk, chunk.len()),
        };
        let ends = done <= chunk.len() && chunk.get(done - 1) == Some(&b'\n');
        if !too_long {
            if line.len() + part.len() > MAX_LINE {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(part);
            }
        }
        reader.consume(done);
        if ends {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            f(&line, too_long);
            line.clear();
            too_long = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_and_long_ones_flagged_without_being_kept() {
        let long = vec![b'x'; MAX_LINE + 10];
        let mut input = b"a\r\nbb\n".to_vec();
        input.extend_from_slice(&long);
        input.extend_from_slice(b"\nlast");
        let mut seen = Vec::new();
        for_each_line(BufReader::with_capacity(7, &input[..]), |l, too_long| {
            seen.push((String::from_utf8_lossy(l).into_owned(), too_long))
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![
                ("a".into(), false),
                ("bb".into(), false),
                (String::new(), true),
                ("last".into(), false)
            ]
        );
    }
}
