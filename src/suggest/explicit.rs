//! Evidence source: technique ids and exact technique names written in the rule itself
//! (description, `<info>`, group names, field values such as sysmon-modular's
//! `technique_id=T1546.008`, or a trailing "(T1082)").

use super::evidence::{Evidence, EvidenceKind};
use super::facts::RuleFacts;
use super::names::{Name, NameMatcher};
use crate::attack::model::Status;
use crate::attack::AttackVersion;
use regex::Regex;
use std::collections::HashMap;

/// Finds explicit ids and names.
pub struct ExplicitMentions {
    id_re: Regex,
    names: Option<NameMatcher>,
    by_name: HashMap<String, String>,
}

/// Names too generic to mean the technique when they appear in prose.
const GENERIC_NAMES: &[&str] = &[
    "at",
    "dll",
    "dns",
    "ssh",
    "vnc",
    "mmc",
    "lua",
    "cron",
    "proxy",
    "tool",
    "trap",
    "server",
    "serverless",
    "software",
    "malware",
    "botnet",
    "domains",
    "exploits",
    "firmware",
    "hardware",
    "databases",
    "credentials",
    "compression",
    "vulnerabilities",
    "sharepoint",
    "python",
    "javascript",
    "powershell",
    "keychain",
    "systemctl",
    "cdns",
    "whois",
    "code repositories",
    "web protocols",
    "local account",
    "local accounts",
    "domain account",
    "domain accounts",
    "cloud account",
    "cloud accounts",
    "default accounts",
    "web services",
    "file deletion",
    "network share connection removal",
    "services",
    "windows service",
    "scheduled task",
];

impl ExplicitMentions {
    pub fn new(version: &AttackVersion) -> Self {
        let mut by_name: HashMap<String, String> = HashMap::new();
        let mut seen_twice: Vec<String> = Vec::new();
        for t in version.techniques().filter(|t| t.status == Status::Active) {
            let name = t.name.to_ascii_lowercase();
            let single_short = !name.contains(' ') && name.len() < 6;
            if single_short || GENERIC_NAMES.contains(&name.as_str()) {
                continue;
            }
            if by_name.insert(name.clone(), t.id.clone()).is_some() {
                seen_twice.push(name);
            }
        }
        // A name two techniques share ("Botnet", "Malware") names neither.
        for n in seen_twice {
            by_name.remove(&n);
        }
        let mut names: Vec<&String> = by_name.keys().collect();
        // Longest first (then by name, so the order does not depend on the hash map).
        names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let names = NameMatcher::new(names.into_iter().map(|n| Name {
            text: n,
            edge_before: true,
            edge_after: true,
        }));
        ExplicitMentions {
            id_re: Regex::new(r"(?i)(?:^|[^a-z0-9])(t\d{4}(?:[._/]\d{3})?)(?:[^0-9]|$)").unwrap(),
            names,
            by_name,
        }
    }

    pub fn collect(&self, facts: &RuleFacts, version: &AttackVersion, out: &mut Vec<Evidence>) {
        for c in self.id_re.captures_iter(&facts.text) {
            let raw = c[1].to_ascii_uppercase().replace(['_', '/'], ".");
            let Some(res) = version.resolve(&raw) else {
                continue;
            };
            let Some(current) = res.current() else {
                continue;
            };
            let detail = if current.id == raw {
                format!("the rule names {raw}")
            } else {
                format!("the rule names {raw}, now {}", current.id)
            };
            out.push(
                Evidence::new(current.id.clone(), 0.95, EvidenceKind::Explicit, detail)
                    .naming_the_id(),
            );
        }
        if let Some(names) = &self.names {
            for span in names.find_iter(&facts.text) {
                let written = &facts.text[span];
                if let Some(id) = self.by_name.get(&written.to_ascii_lowercase()) {
                    let share = facts.mention_share(written);
                    let detail = if share < 1.0 {
                        format!(
                            "the rule mentions '{written}' (in {:.0}% of the alternatives it lists)",
                            share * 100.0
                        )
                    } else {
                        format!("the rule mentions '{written}'")
                    };
                    out.push(Evidence::new(
                        id.clone(),
                        0.75 * share,
                        EvidenceKind::Explicit,
                        detail,
                    ));
                }
            }
        }
    }
}
