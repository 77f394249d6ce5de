//! `cargo bench --bench lint`: figures for the README, never a pass/fail timer.
//!
//! Prints the median of several runs for: parsing the stock ruleset with roxmltree alone,
//! loading + linting it (what `wazuh-mitre lint` does before rendering), rendering, and one
//! small `local_rules.xml`. The machine is noisy; compare the ratio, not the milliseconds.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use wazuh_mitre::checks::registry::Selection;
use wazuh_mitre::config::Config;
use wazuh_mitre::lint::Summary;
use wazuh_mitre::project::{LoadOptions, Project};
use wazuh_mitre::report::{self, Format};

fn median<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Loads as `wazuh-mitre lint` does, with the custom-range check off (stock ids are not custom).
fn load(paths: &[PathBuf], rulesets: &[PathBuf]) -> Project {
    let config = Config {
        custom_range: Some(None),
        ..Config::default()
    };
    let opts = LoadOptions {
        paths: paths.to_vec(),
        rulesets: rulesets.to_vec(),
        no_default_ruleset: true,
        ..LoadOptions::default()
    };
    Project::load(&opts, config).unwrap()
}

fn lint(paths: &[PathBuf], rulesets: &[PathBuf]) -> usize {
    load(paths, rulesets)
        .lint(&Selection::default(), None)
        .len()
}

fn main() {
    let stock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wazuh-4.14.7/rules");
    if !stock.is_dir() {
        eprintln!("../shared is missing: nothing to measure");
        return;
    }
    let files = wazuh_mitre::ruleset::discover::expand_paths(std::slice::from_ref(&stock)).unwrap();
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();

    // A baseline a strict XML parser can take: each file wrapped in one root element, on the
    // files roxmltree accepts that way (the os_xml dialect, `\<` and bare `&`, is not XML).
    let wrapped: Vec<String> = texts
        .iter()
        .map(|t| format!("<r>{t}</r>"))
        .filter(|w| roxmltree::Document::parse(w).is_ok())
        .collect();
    let parse_only = median(15, || {
        for w in &wrapped {
            let doc = roxmltree::Document::parse(w).unwrap();
            std::hint::black_box(doc.descendants().count());
        }
    });
    let os_xml_only = median(15, || {
        for w in &wrapped {
            let doc = wazuh_mitre::ruleset::xml::read(w.as_bytes()).unwrap();
            std::hint::black_box(doc.nodes.len());
        }
    });
    let read_and_parse_only = median(15, || {
        for f in &files {
            let t = std::fs::read(f).unwrap();
            let doc = wazuh_mitre::ruleset::xml::read(&t).unwrap();
            std::hint::black_box(doc.nodes.len());
        }
    });
    let read_model = median(15, || {
        for f in &files {
            std::hint::black_box(
                wazuh_mitre::ruleset::read::read_path(f)
                    .unwrap()
                    .rules
                    .len(),
            );
        }
    });
    let ws_load = median(15, || {
        let ws = wazuh_mitre::ruleset::load::Workspace::load(&files, &[]).unwrap();
        std::hint::black_box(ws.files.len());
    });
    let ws = wazuh_mitre::ruleset::load::Workspace::load(&files, &[]).unwrap();
    let replay = median(15, || {
        std::hint::black_box(
            wazuh_mitre::ruleset::load::LoadReplay::run(&ws, false)
                .events
                .len(),
        );
    });
    let attack_tables = median(15, || {
        let db = wazuh_mitre::attack::AttackDb::embedded();
        std::hint::black_box(
            // Every technique parsed (a lint parses only those it looks up).
            ["19.2", "13.1"]
                .iter()
                .map(|v| {
                    db.version(v)
                        .unwrap()
                        .techniques()
                        .filter(|t| t.sub)
                        .count()
                })
                .sum::<usize>(),
        );
    });
    let lint_stock = median(15, || {
        std::hint::black_box(lint(std::slice::from_ref(&stock), &[]));
    });
    let lint_stock_ruleset = median(15, || {
        std::hint::black_box(lint(
            std::slice::from_ref(&stock),
            std::slice::from_ref(&stock),
        ));
    });
    let load_only = median(15, || {
        std::hint::black_box(load(std::slice::from_ref(&stock), &[]).ws.files.len());
    });
    let render_stock = {
        let p = load(std::slice::from_ref(&stock), &[]);
        let d = p.lint(&Selection::default(), None);
        median(15, || {
            let s = Summary::of(&p, &d);
            let f = report::findings(&p, &d);
            std::hint::black_box(report::render(Format::Concise, &f, &s, "19.2", false).len());
        })
    };
    // Issue 11's whole-process figure: the release binary as a user runs it, start-up, both
    // ATT&CK tables, replay, checks and the JSON of every finding, against roxmltree's parse of
    // the same files. The two alternate, run for run, so that both see the same machine.
    let (mut roxml_runs, mut process_runs) = (Vec::new(), Vec::new());
    for _ in 0..21 {
        let t = Instant::now();
        for w in &wrapped {
            let doc = roxmltree::Document::parse(w).unwrap();
            std::hint::black_box(doc.descendants().count());
        }
        roxml_runs.push(t.elapsed());
        let t = Instant::now();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_wazuh-mitre"))
            .args(["lint", "--format", "json"])
            .arg(&stock)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("the binary runs");
        std::hint::black_box(status.code());
        process_runs.push(t.elapsed());
    }
    roxml_runs.sort();
    process_runs.sort();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/local_rules.xml");
    let lint_one = median(31, || {
        std::hint::black_box(lint(std::slice::from_ref(&example), &[]));
    });
    let lint_one_with_stock = median(15, || {
        std::hint::black_box(lint(
            std::slice::from_ref(&example),
            std::slice::from_ref(&stock),
        ));
    });

    println!("stock ruleset: {} files", files.len());
    println!(
        "  {} of them as strict XML: roxmltree  {:>8.2} ms",
        wrapped.len(),
        ms(parse_only)
    );
    println!(
        "  the same, our os_xml reader          {:>8.2} ms",
        ms(os_xml_only)
    );
    println!(
        "  read + os_xml parse, every file      {:>8.2} ms",
        ms(read_and_parse_only)
    );
    println!(
        "  read into the model, one thread      {:>8.2} ms",
        ms(read_model)
    );
    println!(
        "  read into the model, all cores       {:>8.2} ms",
        ms(ws_load)
    );
    println!(
        "  load-order replay                    {:>8.2} ms",
        ms(replay)
    );
    println!(
        "  parse two embedded ATT&CK tables     {:>8.2} ms",
        ms(attack_tables)
    );
    println!(
        "  load + lint (no rendering)           {:>8.2} ms",
        ms(lint_stock)
    );
    println!(
        "  load + lint, --ruleset stock too     {:>8.2} ms",
        ms(lint_stock_ruleset)
    );
    println!(
        "  of which load (read, parse, replay)  {:>8.2} ms",
        ms(load_only)
    );
    println!(
        "  render concise                       {:>8.2} ms",
        ms(render_stock)
    );
    println!(
        "  ratio lint / (read + parse)          {:>8.2}x",
        lint_stock.as_secs_f64() / read_and_parse_only.as_secs_f64()
    );
    println!(
        "  `lint --format json` as a process    {:>8.2} ms fastest, {:.2} ms median; roxmltree \
         alternating with it {:.2} / {:.2} ms: {:.1}x / {:.1}x",
        ms(process_runs[0]),
        ms(process_runs[10]),
        ms(roxml_runs[0]),
        ms(roxml_runs[10]),
        process_runs[0].as_secs_f64() / roxml_runs[0].as_secs_f64(),
        process_runs[10].as_secs_f64() / roxml_runs[10].as_secs_f64()
    );
    println!("examples/local_rules.xml");
    println!(
        "  load + lint                          {:>8.2} ms",
        ms(lint_one)
    );
    println!(
        "  load + lint, --ruleset stock         {:>8.2} ms",
        ms(lint_one_with_stock)
    );
}
