//! `wazuh-mitre suggest` and `wazuh-mitre eval`

use super::LoadArgs;
use crate::report::suggestions::{self as render, RuleSuggestions};
use crate::suggest::accepted::Accepted;
use crate::suggest::eval::{evaluate, evaluate_baseline};
use crate::suggest::{technique_tags, Suggester};
use clap::Args;
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SuggestFormat {
    Human,
    Json,
    /// A pull-request comment (suggest only).
    Markdown,
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// How many techniques to show per rule (1 or more).
    #[arg(long, default_value_t = 5, value_parser = parse_top)]
    pub top: usize,
    /// Hide suggestions scoring below this (0-1).
    #[arg(long, default_value_t = 0.0, value_parser = parse_score)]
    pub min_score: f64,
    /// Also review rules that already carry tags, and say where the evidence disagrees.
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value = "human")]
    pub format: SuggestFormat,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Measure the naive baseline instead: BM25 of the description against ATT&CK's text.
    #[arg(long)]
    pub baseline: bool,
    /// Hide every tag of the evaluated files at once (not leave-one-out): only embedded
    /// knowledge and --ruleset tags lend anything.
    #[arg(long)]
    pub cold: bool,
    /// Leave out an evidence source (explicit, parent, hint, attack-text, similar, public, software);
    /// repeatable: what each source adds.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub without: Vec<crate::suggest::EvidenceKind>,
    /// Reviewed labels (TSV with rule_id, technique, verdict): a suggestion is also right
    /// when a review accepted it for that rule; both figures are shown. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub accept: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: SuggestFormat,
}

fn parse_top(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("0 would show nothing: give 1 or more".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a whole number")),
    }
}

fn parse_score(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        Ok(_) => Err(format!("{s} is outside 0-1 (scores run from 0 to 1)")),
        Err(_) => Err(format!("`{s}` is not a number from 0 to 1")),
    }
}

fn parse_kind(s: &str) -> Result<crate::suggest::EvidenceKind, String> {
    use crate::suggest::EvidenceKind;
    EvidenceKind::ALL
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| {
            let names: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("`{s}` is not one of {}", names.join(", "))
        })
}

/// Rules ranked at a time by `suggest`.
const SUGGEST_CHUNK: usize = 128;

pub fn run_suggest(args: SuggestArgs) -> ExitCode {
    let project = match args.load.load_with_attack_text() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let suggester = Suggester::new(&project);
    let wanted: Vec<_> = project
        .ws
        .linted_rule_refs()
        .filter(|&r| !project.ws.files[r.file()].file.salvaged)
        .filter(|&r| args.all || project.ws.rule(r).mitre.is_empty())
        .collect();
    // In chunks on every core, each cut to --top at once and, for JSON, written before the
    // next is ranked: the suggestions of every rule are never held together.
    let rows = wanted.chunks(SUGGEST_CHUNK).flat_map(|chunk| {
        let all = suggester.suggest_many(chunk, &|_| HashSet::new(), args.top);
        let rows: Vec<RuleSuggestions> = chunk
            .iter()
            .zip(all)
            .map(|(&r, mut suggestions)| {
                suggestions.retain(|s| s.score >= args.min_score);
                let rule = project.ws.rule(r);
                let src = &project.ws.files[r.file()].file.source;
                RuleSuggestions {
                    file: crate::ruleset::paths::display_path(&src.path),
                    line: src.lines.line_col(&src.text, rule.span.start()).line,
                    rule_id: rule.id,
                    description: rule.description_text().to_string(),
                    tags: technique_tags(&project, r),
                    suggestions,
                }
            })
            .collect();
        rows
    });
    let version = &project.attack_version;
    match args.format {
        SuggestFormat::Json => super::emit_to(|out| render::write_json(out, rows, version)),
        SuggestFormat::Human => out!("{}", render::human(&rows.collect::<Vec<_>>(), version)),
        SuggestFormat::Markdown => out!(
            "{}",
            crate::report::markdown::suggestions(&rows.collect::<Vec<_>>(), version)
        ),
    }
    read_failures(&project).unwrap_or(ExitCode::SUCCESS)
}

pub fn run_eval(args: EvalArgs) -> ExitCode {
    let accepted = match Accepted::read(&args.accept) {
        Ok(a) => a,
        Err(e) => return super::usage_error(e),
    };
    let project = match args.load.load_with_attack_text() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let rows = if args.baseline {
        evaluate_baseline(&project, &accepted)
    } else {
        let protocol = if args.cold {
            crate::suggest::eval::Protocol::Cold
        } else {
            crate::suggest::eval::Protocol::LeaveOneOut
        };
        evaluate(
            &project,
            &Suggester::new(&project)
                .without(&args.without)
                .groups_loaded_before(),
            protocol,
            &accepted,
        )
    };
    if rows.iter().all(|r| r.rules == 0) {
        eprintln!("error: no rule carries a technique tag: there is nothing to evaluate against");
        return read_failures(&project).unwrap_or(ExitCode::from(2));
    }
    // Cold: also run `fix --add-tags` for real on the files without their tags, pass by pass.
    let passes = if args.cold && !args.baseline {
        match args.load.load_with_attack_text() {
            Ok(mut fresh) => Some(crate::suggest::eval::add_tags_by_pass(
                &mut fresh,
                &accepted,
                crate::suggest::Confidence::High,
            )),
            Err(code) => return code,
        }
    } else {
        None
    };
    match args.format {
        SuggestFormat::Json => out!("{}", render::eval_json(&rows, passes.as_ref())),
        SuggestFormat::Human | SuggestFormat::Markdown => {
            out!("{}", render::eval_table(&rows, passes.as_ref()))
        }
    }
    read_failures(&project).unwrap_or(ExitCode::SUCCESS)
}

/// Reports files that could not be read; Some(exit 2) when there were any.
fn read_failures(project: &crate::project::Project) -> Option<ExitCode> {
    for f in &project.ws.failures {
        eprintln!("error: {}: {}", f.path.display(), f.error);
    }
    (!project.ws.failures.is_empty()).then(|| ExitCode::from(2))
}
