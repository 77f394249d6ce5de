//! Never a panic, on any input: the reader, the checks and the fix planner over mutated
//! copies of real rule files (truncations, byte flips, inserted markup), deterministically.

use crate::common::mutate::{mutate, Rng};

use std::path::PathBuf;
use wazuh_mitre::checks::registry::Selection;
use wazuh_mitre::config::Config;
use wazuh_mitre::project::{LoadOptions, Project};
use wazuh_mitre::rewrite::{plan, FixOptions};
use wazuh_mitre::ruleset::model::SourceFile;
use wazuh_mitre::ruleset::read::parse;

fn check_model(text: &str) {
    if let Ok(f) = parse(SourceFile::new("m.xml".into(), text.to_string())) {
        for r in &f.rules {
            // Every span lies in the text and on character boundaries.
            let _ = r.span.slice(text);
            let _ = r.open_tag.slice(text);
            for b in &r.mitre {
                let _ = b.span.slice(text);
                for e in &b.entries {
                    let _ = e.value_span.slice(text);
                }
            }
            for p in &r.parents {
                let _ = p.span.slice(text);
            }
        }
    }
}

#[test]
fn mutated_rule_files_never_panic_the_reader() {
    let mut sources: Vec<String> =
        vec![std::fs::read_to_string("examples/local_rules.xml").unwrap()];
    if let Some(stock) = crate::common::stock_rules() {
        for name in [
            "0910-ms-exchange-proxylogon_rules.xml",
            "0915-win-powershell_rules.xml",
            "0095-sshd_rules.xml",
        ] {
            sources.push(std::fs::read_to_string(stock.join(name)).unwrap());
        }
    }
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for src in &sources {
        for _ in 0..300 {
            check_model(&mutate(src, &mut rng));
        }
    }
}

#[test]
fn mutated_files_never_panic_lint_or_fix() {
    let src = std::fs::read_to_string("examples/local_rules.xml").unwrap();
    let mut rng = Rng(0xfeed_0042_0042_0042);
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = Vec::new();
    for i in 0..40 {
        let p = dir.path().join(format!("m{i:02}.xml"));
        std::fs::write(&p, mutate(&src, &mut rng)).unwrap();
        paths.push(p);
    }
    let opts = LoadOptions {
        paths,
        no_default_ruleset: true,
        ..LoadOptions::default()
    };
    let mut project = Project::load(&opts, Config::default()).unwrap();
    let diags = project.lint(&Selection::default(), None);
    let findings = wazuh_mitre::report::findings(&project, &diags);
    assert_eq!(findings.len(), diags.len() + project.ws.failures.len());
    let fix = FixOptions {
        unsafe_fixes: true,
        add_tags: true,
        ..FixOptions::default()
    };
    let fixed = plan(&mut project, &fix);
    // Whatever was fixed still reads back.
    for f in &fixed.files {
        assert!(
            parse(SourceFile::new(f.path.clone(), f.after.clone())).is_ok(),
            "{}",
            f.path.display()
        );
    }
}
