//! The loaded run: the files given and their deployment context, the rulesets, the
//! load-order replay, the ATT&CK versions, the settings and the baseline. `lint`, `suggest`,
//! `fix`, `coverage` and the renderers all start from one [`Project`].

use crate::attack::stix::{self, StixError};
use crate::attack::{AttackDb, AttackVersion, UnknownVersion, WAZUH_4_MANAGER_VERSION};
use crate::checks::baseline::Baseline;
use crate::checks::{self, CheckSettings};
use crate::config::Config;
use crate::ruleset::discover;
use crate::ruleset::load::{LoadReplay, Workspace};
use std::path::PathBuf;

/// What the command line says about loading (the configuration fills what it leaves out).
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub paths: Vec<PathBuf>,
    pub rulesets: Vec<PathBuf>,
    /// Skip `/var/ossec/ruleset/rules` even when it exists.
    pub no_default_ruleset: bool,
    pub attack_version: Option<String>,
    pub manager_attack: Option<String>,
    /// A newer STIX bundle to use as the newest version.
    pub attack_data: Option<PathBuf>,
    /// Parse ATT&CK's text table (descriptions, software, procedures) while the files are
    /// read: for runs that will use it (suggest, eval, coverage).
    pub attack_text: bool,
    /// Which of the embedded stock files stand in when no ruleset is given.
    pub stock: StockFiles,
    /// Load the other rule files of each named file's folder as its deployment (the
    /// command line's default; `--no-context` turns it off).
    pub folder_context: bool,
    /// Texts that stand for files on disk: an editor's unsaved buffers (`server`).
    pub unsaved: Vec<(PathBuf, String)>,
}

/// Which embedded stock files a run builds when they stand in for a ruleset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StockFiles {
    /// Every one: for commands that look at the whole ruleset (suggest's neighbours,
    /// coverage's effective map).
    #[default]
    All,
    /// Only those the linted rules can see through ids and groups (lint).
    Needed,
}

/// A usage or input problem that stops the run before any analysis (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error(transparent)]
    AttackData(#[from] StixError),
    #[error(transparent)]
    AttackVersion(UnknownVersion),
    #[error("--manager-attack: {0}")]
    ManagerVersion(UnknownVersion),
    #[error("--ruleset {}: not a folder", .0.display())]
    RulesetNotAFolder(PathBuf),
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    /// PATHS hold files, but none of rules (decoders, other XML): `summary` says what.
    #[error("no rule files to check in {}: {summary}", paths.join(", "))]
    NoRuleFiles { paths: Vec<String>, summary: String },
    #[error(transparent)]
    Baseline(#[from] crate::checks::baseline::BaselineError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
}

/// Everything loaded for one run.
pub struct Project {
    pub db: AttackDb,
    pub ws: Workspace,
    pub replay: LoadReplay,
    pub attack_version: String,
    pub manager_version: String,
    pub settings: CheckSettings,
    pub config: Config,
    /// The baseline the configuration or `--baseline` names: findings it records are not
    /// reported.
    pub baseline: Option<LoadedBaseline>,
    /// The fix for each of `ws.failures`, where one is known (an XML declaration).
    pub failure_fixes: Vec<Option<checks::Fix>>,
}

/// A baseline file, read.
pub struct LoadedBaseline {
    pub path: PathBuf,
    pub baseline: Baseline,
}

impl LoadedBaseline {
    /// The folder its paths are relative to.
    pub fn base(&self) -> &std::path::Path {
        crate::checks::baseline::base_dir(&self.path)
    }
}

impl Project {
    pub fn load(opts: &LoadOptions, config: Config) -> Result<Project, UsageError> {
        let mut db = AttackDb::embedded();
        if let Some(path) = &opts.attack_data {
            let imported = stix::import_bundle_file(path)?;
            db = db.with_bundle(imported);
        }
        let attack_version = opts
            .attack_version
            .clone()
            .or_else(|| config.attack_version.clone())
            .unwrap_or_else(|| db.latest_name().to_string());
        let manager_version = opts
            .manager_attack
            .clone()
            .or_else(|| config.manager_attack.clone())
            .unwrap_or_else(|| WAZUH_4_MANAGER_VERSION.to_string());
        // Normalise the names ("v13.1" -> "13.1") and fail early on unknown ones.
        let attack_version = db
            .version_name(&attack_version)
            .map_err(UsageError::AttackVersion)?
            .to_string();
        let manager_version = db
            .version_name(&manager_version)
            .map_err(UsageError::ManagerVersion)?
            .to_string();

        let mut rulesets = opts.rulesets.clone();
        if rulesets.is_empty() {
            rulesets = config.ruleset.clone();
        }
        if rulesets.is_empty() && !opts.no_default_ruleset {
            rulesets.extend(discover::default_ruleset());
        }
        for dir in &rulesets {
            if !dir.is_dir() {
                return Err(UsageError::RulesetNotAFolder(dir.clone()));
            }
        }
        let files = discover::expand_paths(&opts.paths)?;
        let context = if opts.folder_context {
            discover::folder_context(&opts.paths)?
        } else {
            Vec::new()
        };
        // No ruleset given or installed: the embedded index of the stock ruleset stands in,
        // less the stock files being read themselves.
        let stock_stands_in = rulesets.is_empty() && !opts.no_default_ruleset;
        let replaced: Vec<&str> = files
            .iter()
            .chain(&context)
            .filter_map(|f| f.file_name().and_then(|n| n.to_str()))
            .collect();
        // The ATT&CK tables are parsed while the files are read: on a small file, start-up
        // is most of the run.
        let (ws, ()) = rayon::join(
            || Workspace::load_with_context(&files, &context, &rulesets, &opts.unsaved),
            || {
                db.preload(&[&attack_version, &manager_version]);
                if opts.attack_text {
                    db.text();
                }
            },
        );
        let mut ws = ws?;
        if ws.linted_file_count() == 0 && ws.failures.is_empty() && !ws.skipped.is_empty() {
            // A decoders folder must not pass as "All checks passed: 0 rules".
            let named: Vec<String> = opts.paths.iter().map(|p| p.display().to_string()).collect();
            return Err(UsageError::NoRuleFiles {
                paths: named,
                summary: crate::ruleset::load::Skipped::summary(&ws.skipped),
            });
        }
        let mut have_ruleset = !rulesets.is_empty();
        if stock_stands_in {
            let stock = match opts.stock {
                StockFiles::All => crate::ruleset::stock::embedded_files(&replaced),
                StockFiles::Needed => {
                    let linted: Vec<&crate::ruleset::Rule> =
                        ws.files.iter().flat_map(|f| &f.file.rules).collect();
                    crate::ruleset::stock::embedded_files_for(&replaced, &linted)
                }
            };
            have_ruleset |= stock.is_some();
            ws.load_first(stock.unwrap_or_default());
        }
        let replay = LoadReplay::run(&ws, have_ruleset);
        let ws_failure_fixes = ws
            .failures
            .iter()
            .map(checks::unreadable_file::fix_for)
            .collect();
        let baseline = match &config.baseline {
            Some(path) => Some(LoadedBaseline {
                path: path.clone(),
                baseline: Baseline::read(path)?,
            }),
            None => None,
        };
        let settings = CheckSettings {
            missing_technique_min_level: config.missing_technique_min_level.unwrap_or(1),
            custom_range: config.custom_range.unwrap_or(Some((100_000, 120_000))),
            have_ruleset,
        };
        Ok(Project {
            db,
            ws,
            replay,
            attack_version,
            manager_version,
            settings,
            config,
            baseline,
            failure_fixes: ws_failure_fixes,
        })
    }

    /// Puts a rewritten file in place of the one read, and replays the load order again.
    pub fn replace_file(&mut self, index: usize, file: crate::ruleset::RuleFile) {
        self.replace_files(vec![(index, file)]);
    }

    /// Puts several rewritten files in place and replays the load order once: a pass of
    /// `fix` over thousands of files must not replay once per file.
    pub fn replace_files(&mut self, files: Vec<(usize, crate::ruleset::RuleFile)>) {
        if files.is_empty() {
            return;
        }
        self.replace_tags_only(files);
        self.replay = LoadReplay::run(&self.ws, self.settings.have_ruleset);
    }

    /// Replaces files whose rules differ from the old ones only in their `<mitre>` blocks
    /// (what `rewrite::verify` checks): ids, groups and parents, all the load order reads,
    /// are the same, so the replay stands.
    pub fn replace_tags_only(&mut self, files: Vec<(usize, crate::ruleset::RuleFile)>) {
        for (index, file) in files {
            self.ws.files[index].file = file;
        }
    }

    pub fn attack(&self) -> &AttackVersion {
        self.db
            .version(&self.attack_version)
            .expect("validated at load")
    }

    pub fn manager(&self) -> &AttackVersion {
        self.db
            .version(&self.manager_version)
            .expect("validated at load")
    }
}
