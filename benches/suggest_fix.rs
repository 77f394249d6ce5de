//! `cargo bench --bench suggest_fix`: figures for the README, never a pass/fail timer.
//!
//! Suggest over the whole stock ruleset (with itself as `--ruleset`), eval, and the bulk
//! `fix --write` over a copy of it, with the default (safe) fixes and with everything on.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use wazuh_mitre::config::Config;
use wazuh_mitre::project::{LoadOptions, Project};
use wazuh_mitre::rewrite::atomic::write_atomic;
use wazuh_mitre::rewrite::{plan, FixOptions};
use wazuh_mitre::suggest::eval::evaluate;
use wazuh_mitre::suggest::{Confidence, Suggester};

fn load(paths: &[PathBuf], rulesets: &[PathBuf]) -> Project {
    let opts = LoadOptions {
        paths: paths.to_vec(),
        rulesets: rulesets.to_vec(),
        no_default_ruleset: true,
        ..LoadOptions::default()
    };
    Project::load(&opts, Config::default()).unwrap()
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

fn bulk_fix(stock: &Path, opts: &FixOptions) -> (usize, Duration) {
    let dir = std::env::temp_dir().join(format!("wazuh-mitre-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(stock, &dir);
    let (n, t) = time(|| {
        let mut p = load(std::slice::from_ref(&dir), &[]);
        let fixed = plan(&mut p, opts);
        for f in &fixed.files {
            write_atomic(&f.path, f.before.as_bytes(), &f.after).unwrap();
        }
        fixed.files.len()
    });
    std::fs::remove_dir_all(&dir).unwrap();
    (n, t)
}

fn main() {
    let stock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wazuh-4.14.7/rules");
    if !stock.is_dir() {
        eprintln!("../shared is missing: nothing to measure");
        return;
    }
    let ruleset = [stock.clone()];
    let ((), suggest) = time(|| {
        let p = load(&ruleset, &ruleset);
        let s = Suggester::new(&p);
        let untagged: Vec<_> =
            p.ws.linted_rule_refs()
                .filter(|r| p.ws.rule(*r).mitre.is_empty())
                .collect();
        let out = s.suggest_many(&untagged, &|_| HashSet::new(), usize::MAX);
        std::hint::black_box(out.len());
    });
    let ((), eval) = time(|| {
        let p = load(&ruleset, &ruleset);
        let s = Suggester::new(&p);
        std::hint::black_box(
            evaluate(
                &p,
                &s,
                wazuh_mitre::suggest::eval::Protocol::LeaveOneOut,
                &Default::default(),
            )
            .len(),
        );
    });
    let (safe_files, safe) = bulk_fix(&stock, &FixOptions::default());
    let everything = FixOptions {
        unsafe_fixes: true,
        add_tags: true,
        min_confidence: Confidence::Medium,
        ..FixOptions::default()
    };
    let (all_files, all) = bulk_fix(&stock, &everything);
    println!("stock ruleset, 168 files, 4,512 rules (one run each; the machine is noisy)");
    println!(
        "  suggest, all untagged rules, --ruleset stock   {:>8.0} ms",
        suggest.as_secs_f64() * 1000.0
    );
    println!(
        "  eval (leave-one-out over 1,015 tagged rules)    {:>8.0} ms",
        eval.as_secs_f64() * 1000.0
    );
    println!(
        "  fix --write (safe fixes)           {safe_files:>4} files {:>8.0} ms",
        safe.as_secs_f64() * 1000.0
    );
    println!("  fix --write --unsafe-fixes --add-tags --min-confidence medium");
    println!(
        "                                     {all_files:>4} files {:>8.0} ms",
        all.as_secs_f64() * 1000.0
    );
}
