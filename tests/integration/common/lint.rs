//! Running lint in-process, as the CLI does, for fixture and snapshot tests.

use std::path::{Path, PathBuf};
use wazuh_mitre::checks::registry::Selection;
use wazuh_mitre::checks::Diagnostic;
use wazuh_mitre::config::Config;
use wazuh_mitre::lint::Summary;
use wazuh_mitre::project::{LoadOptions, Project};
use wazuh_mitre::report::{self, Format};

pub fn project(paths: &[PathBuf], rulesets: &[PathBuf], config: Config) -> Project {
    Project::load(
        &LoadOptions {
            paths: paths.to_vec(),
            rulesets: rulesets.to_vec(),
            no_default_ruleset: true,
            ..LoadOptions::default()
        },
        config,
    )
    .unwrap()
}

pub fn render(project: &Project, diagnostics: &[Diagnostic], format: Format) -> String {
    let summary = Summary::of(project, diagnostics);
    let findings = report::findings(project, diagnostics);
    report::render(format, &findings, &summary, &project.attack_version, false)
}

pub fn select(codes: &[&str]) -> Selection {
    Selection {
        select: codes.iter().map(|s| s.to_string()).collect(),
        ignore: Vec::new(),
    }
}

/// Compares `actual` with the snapshot file; `UPDATE_SNAPSHOTS=1` rewrites it instead.
pub fn assert_snapshot(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with UPDATE_SNAPSHOTS=1 and review it",
            path.display()
        )
    });
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header("expected", "actual")
            .to_string();
        panic!("{} differs from the output:\n{diff}", path.display());
    }
}
