//! The binary as users run it.

use std::process::Command;

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wazuh-mitre"));
    c.env("NO_COLOR", "1");
    c
}

/// Exit status, standard output and standard error.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `args`, checks the exit status (showing standard error when it differs) and reads
/// standard output as JSON.
pub fn run_json(args: &[&str], expected_status: i32) -> serde_json::Value {
    let (code, out, err) = run(args);
    assert_eq!(code, expected_status, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

/// `lint --no-default-ruleset --format concise ARGS...`: exit status, stdout, stderr.
pub fn lint_concise(args: &[&str]) -> (i32, String, String) {
    let mut full = vec!["lint", "--no-default-ruleset", "--format", "concise"];
    full.extend_from_slice(args);
    run(&full)
}
