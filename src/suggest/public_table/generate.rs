//! The public detections table, generated from `../shared/detections` (`gen-rules-db`).

use super::Detection;
use crate::attack::AttackVersion;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where the generator reads, inside `../shared`.
pub const SHARED_DIR: &str = "detections";

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(p);
        }
    }
}

/// Current ids of `raw` technique ids (revoked ones followed), sorted and unique.
fn current(raw: impl Iterator<Item = String>, newest: &AttackVersion) -> Vec<String> {
    let set: BTreeSet<String> = raw
        .filter_map(|id| {
            newest
                .resolve(&id.to_ascii_uppercase())
                .and_then(|r| r.current().map(|c| c.id.clone()))
        })
        .collect();
    set.into_iter().collect()
}

/// Every string of a YAML tree, keys (before `|modifiers`) and values alike.
fn strings(
    v: &serde_yaml::Value,
    out: &mut Vec<String>,
    event_ids: &mut BTreeSet<u32>,
    key: Option<&str>,
) {
    use serde_yaml::Value as V;
    let is_event_key = key.is_some_and(|k| {
        let k = k.split('|').next().unwrap_or(k).to_ascii_lowercase();
        k == "eventid" || k == "eventcode" || k == "event_id"
    });
    match v {
        V::Mapping(m) => {
            for (k, v) in m {
                let k = k.as_str().unwrap_or("");
                if k == "condition" || k == "timeframe" {
                    continue;
                }
                out.push(k.split('|').next().unwrap_or(k).to_string());
                strings(v, out, event_ids, Some(k));
            }
        }
        V::Sequence(s) => s.iter().for_each(|x| strings(x, out, event_ids, key)),
        V::String(s) => {
            if is_event_key {
                if let Ok(n) = s.trim().parse() {
                    event_ids.insert(n);
                }
            }
            out.push(s.clone());
        }
        V::Number(n) if is_event_key => {
            if let Some(n) = n.as_u64().and_then(|n| u32::try_from(n).ok()) {
                event_ids.insert(n);
            }
        }
        _ => {}
    }
}

fn sigma(path: &Path, newest: &AttackVersion) -> Option<Detection> {
    let v: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let tags = v["tags"].as_sequence()?;
    let techniques = current(
        tags.iter()
            .filter_map(|t| t.as_str()?.strip_prefix("attack.t"))
            .filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .map(|t| format!("T{t}")),
        newest,
    );
    if techniques.is_empty() {
        return None;
    }
    let ls = &v["logsource"];
    let logsource = ["product", "service", "category"]
        .iter()
        .filter_map(|k| ls[*k].as_str())
        .collect::<Vec<_>>()
        .join("/");
    let mut words = Vec::new();
    let mut event_ids = BTreeSet::new();
    strings(&v["detection"], &mut words, &mut event_ids, None);
    Some(Detection {
        source: "sigma".into(),
        id: v["id"].as_str()?.to_string(),
        title: v["title"].as_str()?.trim().to_string(),
        author: v["author"].as_str().unwrap_or("").trim().to_string(),
        techniques,
        logsource,
        event_ids: event_ids.into_iter().collect(),
        logic: squeeze(&words.join(" ")),
    })
}

fn splunk(path: &Path, newest: &AttackVersion) -> Option<Detection> {
    let v: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let techniques = current(
        v["tags"]["mitre_attack_id"]
            .as_sequence()?
            .iter()
            .filter_map(|t| t.as_str().map(String::from)),
        newest,
    );
    if techniques.is_empty() {
        return None;
    }
    let search = v["search"].as_str().unwrap_or("");
    // SPL: macros (backquoted) and the summary plumbing say nothing about the logic.
    let macro_re = regex::Regex::new(r"`[^`]*`").unwrap();
    let code_re =
        regex::Regex::new(r"(?i)\b(?:EventCode|EventID)\s*(?:=|IN\s*\()\s*\(?\s*([\d\s,]+)")
            .unwrap();
    let mut event_ids = BTreeSet::new();
    for c in code_re.captures_iter(search) {
        event_ids.extend(
            c[1].split([',', ' '])
                .filter_map(|n| n.trim().parse::<u32>().ok()),
        );
    }
    let logic = macro_re.replace_all(search, " ");
    let sources: Vec<String> = v["data_source"]
        .as_sequence()
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    Some(Detection {
        source: "splunk".into(),
        id: v["id"].as_str()?.to_string(),
        title: v["name"].as_str()?.trim().to_string(),
        author: v["author"].as_str().unwrap_or("").trim().to_string(),
        techniques,
        logsource: sources.join(", "),
        event_ids: event_ids.into_iter().collect(),
        logic: squeeze(&logic),
    })
}

/// One space between words, and at most a few kilobytes of them.
fn squeeze(s: &str) -> String {
    let mut out = String::new();
    for w in s.split_whitespace() {
        if out.len() + w.len() > 2000 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The table's text from `../shared/detections`, one detection per line, sorted.
pub fn generate(dir: &Path, newest: &AttackVersion) -> Result<String, String> {
    let mut files = Vec::new();
    for sub in [
        "sigma/rules",
        "sigma/rules-emerging-threats",
        "sigma/rules-threat-hunting",
    ] {
        yaml_files(&dir.join(sub), &mut files);
    }
    let sigma_count = files.len();
    yaml_files(&dir.join("splunk/detections"), &mut files);
    if files.is_empty() {
        return Err(format!("no detections under {}", dir.display()));
    }
    let mut detections: Vec<Detection> = files
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            if i < sigma_count {
                sigma(p, newest)
            } else {
                splunk(p, newest)
            }
        })
        .collect();
    detections.sort_by(|a, b| (&a.source, &a.id).cmp(&(&b.source, &b.id)));
    detections.dedup_by(|a, b| a.source == b.source && a.id == b.id);
    let mut out = String::from(
        "{\"source\":\"SigmaHQ/sigma 8eaafff1f2845a696050e05e72ba1140ee190698 (Detection Rule License 1.1: each rule's author and id kept); splunk/security_content b13b314aed0e1778335a55620474e7d27289a20a (Apache-2.0)\",\"detections\":[\n",
    );
    crate::generated::push_lines(&mut out, &detections);
    out.push_str("]}\n");
    Ok(out)
}
