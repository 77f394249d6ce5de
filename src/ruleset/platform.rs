//! Which operating system a rule clearly concerns, from its fields, decoder and groups.

use super::load::{LoadReplay, RuleRef, Workspace};
use super::model::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Windows,
    Linux,
}

impl Platform {
    /// The name ATT&CK uses in `x_mitre_platforms`.
    pub fn attack_name(self) -> &'static str {
        match self {
            Platform::Windows => "Windows",
            Platform::Linux => "Linux",
        }
    }
}

const LINUX_DECODERS: &[&str] = &[
    "auditd", "sshd", "pam", "sudo", "su", "useradd", "groupadd", "systemd",
];
const LINUX_GROUPS: &[&str] = &[
    "auditd",
    "sshd",
    "pam",
    "sudo",
    "linux",
    "systemd",
    "audit_command",
];
const WINDOWS_GROUPS: &[&str] = &["windows", "sysmon", "windows_security", "powershell"];

/// The evidence in the rule itself: (Windows, Linux).
fn own_evidence(rule: &Rule) -> (bool, bool) {
    let mut win = false;
    let mut linux = false;
    for f in &rule.fields {
        let name = f.name.as_deref().unwrap_or("");
        win |= name.starts_with("win.");
        linux |= name.starts_with("audit.");
        if f.element == "decoded_as" {
            let v = f.value.trim();
            win |= v == "windows_eventchannel";
            linux |= LINUX_DECODERS.contains(&v);
        }
    }
    for g in rule.all_groups() {
        win |= WINDOWS_GROUPS.contains(&g) || g.starts_with("sysmon_");
        linux |= LINUX_GROUPS.contains(&g);
    }
    (win, linux)
}

/// The platform of a rule, looking through its parents (three levels) when it says nothing
/// itself. `None` when there is no clear single platform.
pub fn rule_platform(ws: &Workspace, replay: &LoadReplay, r: RuleRef) -> Option<Platform> {
    let mut frontier = vec![r];
    for _depth in 0..4 {
        let (mut win, mut linux) = (false, false);
        for &x in &frontier {
            let (w, l) = own_evidence(ws.rule(x));
            win |= w;
            linux |= l;
        }
        match (win, linux) {
            (true, false) => return Some(Platform::Windows),
            (false, true) => return Some(Platform::Linux),
            (true, true) => return None,
            _ => {}
        }
        frontier = frontier
            .iter()
            .flat_map(|&x| replay.parents_of(ws, x))
            .collect();
        if frontier.is_empty() {
            return None;
        }
    }
    None
}
