//! `wazuh-mitre attack`'s output: a technique, a tactic, the versions and search hits, as
//! text or JSON; and the message for an id no version asked defines.

use crate::attack::lookup::{NotFound, TacticView, TechniqueView};
use crate::attack::{AttackDb, WAZUH_4_MANAGER_VERSION};
use serde_json::json;

fn pretty(v: &serde_json::Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(v).expect("JSON values serialise")
    )
}

fn technique_url(id: &str) -> String {
    format!(
        "https://attack.mitre.org/techniques/{}/",
        id.replace('.', "/")
    )
}

/// The error line for an id the version does not define.
pub fn not_found(e: &NotFound) -> String {
    if e.elsewhere.is_empty() {
        format!(
            "`{}` is not an ATT&CK Enterprise {} in any known version ({})",
            e.id,
            e.what,
            e.versions.join(", ")
        )
    } else {
        let list: Vec<String> = e
            .elsewhere
            .iter()
            .map(|(v, s)| format!("{v} ({s})"))
            .collect();
        format!(
            "`{}` is not in ATT&CK {}; it is in {}",
            e.id,
            e.version,
            list.join(", ")
        )
    }
}

pub fn technique_json(v: &TechniqueView) -> String {
    let t = v.technique;
    let tactics: Vec<_> = v
        .tactics
        .iter()
        .map(|x| json!({"id": x.id, "name": x.name}))
        .collect();
    let history: Vec<_> = v
        .history
        .iter()
        .map(|(ver, s)| json!({"version": ver, "status": s.as_str()}))
        .collect();
    pretty(&json!({
        "id": t.id, "name": t.name, "version": v.version, "status": t.status.as_str(),
        "sub_technique": t.sub, "tactics": tactics, "platforms": v.shown.platforms,
        "tactics_of": v.shown.id,
        "revoked_chain": v.chain.iter().map(|c| &c.id).collect::<Vec<_>>(),
        "current": v.current.map(|c| json!({"id": c.id, "name": c.name})),
        "successors": t.successors, "versions": history,
        "description": v.description.as_ref().map(|(d, _)| d),
        "description_version": v.description.as_ref().map(|(_, ver)| ver),
    }))
}

pub fn technique_human(v: &TechniqueView) -> String {
    let t = v.technique;
    let mut out = format!(
        "{} {} ({} in ATT&CK {})\n",
        t.id,
        t.name,
        t.status.as_str(),
        v.version
    );
    if v.chain.len() > 1 {
        let c = v.chain.last().expect("non-empty chain");
        out.push_str(&format!("  revoked: {} {}\n", v.chain_text, c.name));
    }
    if !t.successors.is_empty() {
        out.push_str(&format!(
            "  successors named by ATT&CK: {}\n",
            t.successors.join(", ")
        ));
    }
    let names: Vec<String> = v
        .tactics
        .iter()
        .map(|x| format!("{} {}", x.id, x.name))
        .collect();
    let of = if v.shown.id != t.id {
        format!(" (of {})", v.shown.id)
    } else {
        String::new()
    };
    let or_dash = |list: Vec<String>| {
        if list.is_empty() {
            "-".to_string()
        } else {
            list.join(", ")
        }
    };
    out.push_str(&format!("  tactics{of}:   {}\n", or_dash(names)));
    out.push_str(&format!(
        "  platforms: {}\n",
        or_dash(v.shown.platforms.clone())
    ));
    let hist: Vec<String> = v
        .history
        .iter()
        .map(|(ver, s)| format!("{ver} {}", s.as_str()))
        .collect();
    out.push_str(&format!("  versions:  {}\n", hist.join(", ")));
    if let Some((d, ver)) = &v.description {
        out.push_str(&format!("  link:      {}\n", technique_url(&v.shown.id)));
        out.push_str(&format!("\n{d}\n(ATT&CK {ver})\n"));
    }
    out
}

pub fn tactic_json(v: &TacticView) -> String {
    let t = v.tactic;
    pretty(&json!({
        "id": t.id, "name": t.name, "shortname": t.shortname,
        "version": v.version, "techniques": v.techniques,
        "versions": v.names.iter().map(|(ver, n)| json!({"version": ver, "name": n})).collect::<Vec<_>>(),
    }))
}

pub fn tactic_human(v: &TacticView) -> String {
    let t = v.tactic;
    let hist: Vec<String> = v
        .names
        .iter()
        .map(|(ver, n)| format!("{ver} {n}"))
        .collect();
    format!(
        "{} {} (tactic in ATT&CK {})\n  techniques: {} active, sub-techniques included\n  versions:   {}\n  link:       https://attack.mitre.org/tactics/{}/\n",
        t.id,
        t.name,
        v.version,
        v.techniques,
        hist.join(", "),
        t.id
    )
}

pub fn versions_json(db: &AttackDb) -> String {
    let latest = db.latest_name();
    let v: Vec<_> = db
        .all_versions()
        .map(|v| json!({"version": v.version(), "source": v.source(), "techniques": v.techniques().len(), "tactics": v.tactics().len(), "default": v.version() == latest, "manager_default": v.version() == WAZUH_4_MANAGER_VERSION}))
        .collect();
    pretty(&json!(v))
}

pub fn versions_human(db: &AttackDb) -> String {
    let latest = db.latest_name();
    let mut out = String::new();
    for v in db.all_versions() {
        let mut notes = Vec::new();
        if v.version() == latest {
            notes.push("default: is an id current");
        }
        if v.version() == WAZUH_4_MANAGER_VERSION {
            notes.push("Wazuh 4.x manager");
        }
        out.push_str(&format!(
            "{:<6} {:>4} techniques, {:>2} tactics  {}{}\n",
            v.version(),
            v.techniques().len(),
            v.tactics().len(),
            v.source(),
            if notes.is_empty() {
                String::new()
            } else {
                format!("  [{}]", notes.join("; "))
            }
        ));
    }
    out
}

/// Search hits: (id, name, score), best first.
pub fn search_json(hits: &[(String, Option<String>, f64)]) -> String {
    let v: Vec<_> = hits
        .iter()
        .map(
            |(id, name, s)| json!({"id": id, "name": name, "score": (s * 1000.0).round() / 1000.0}),
        )
        .collect();
    pretty(&json!(v))
}

pub fn search_human(query: &str, hits: &[(String, Option<String>, f64)]) -> String {
    if hits.is_empty() {
        return format!("no technique matches `{query}`\n");
    }
    hits.iter()
        .map(|(id, name, s)| format!("{s:>6.2}  {id:<10} {}\n", name.as_deref().unwrap_or("")))
        .collect()
}
