//! The YAML configuration (`.wazuh-mitre.yml`, found upward from the working directory).
//!
//! ```yaml
//! select: [WM1, missing-technique]     # codes, code prefixes or names (default: all)
//! ignore: [WM202]
//! severity: {missing-technique: error}   # per check: error | warning | info
//! missing-technique-min-level: 3
//! attack-version: "19.2"                 # judge ids against this ATT&CK version
//! manager-attack: "13.1"                 # the manager's ATT&CK version (Wazuh 4.x: 13.1)
//! ruleset: [/var/ossec/ruleset/rules]    # loaded for context, never linted
//! custom-range: [100000, 120000]         # or false to turn the range check off
//! fail-on: error                         # error | warning | info
//! per-path-ignores:
//!   "legacy/**": [missing-technique]
//! baseline: .wazuh-mitre-baseline.json   # report only findings it does not record
//! ```

use crate::checks::registry::{find_info, Selection, SelectionError};
use crate::checks::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".wazuh-mitre.yml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    severity: Option<BTreeMap<String, String>>,
    missing_technique_min_level: Option<i64>,
    attack_version: Option<String>,
    manager_attack: Option<String>,
    ruleset: Option<Vec<PathBuf>>,
    /// `[first, last]` or `false`; checked by hand for a message that says what is expected.
    custom_range: Option<serde_yaml::Value>,
    fail_on: Option<String>,
    per_path_ignores: Option<BTreeMap<String, Vec<String>>>,
    baseline: Option<PathBuf>,
}

/// serde_yaml's message without its " at line L column C" (the line is shown in front).
fn strip_yaml_position(message: &str) -> String {
    let mut out = message.to_string();
    while let Some(i) = out.find(" at line ") {
        let rest = &out[i + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let n = digits(rest);
        let after = &rest[n..];
        let Some(col) = after.strip_prefix(" column ") else {
            break;
        };
        let end = i + " at line ".len() + n + " column ".len() + digits(col);
        out.replace_range(i..end, "");
    }
    out
}

/// `custom-range`: `[first, last]` rule ids, or `false` to turn the check off.
fn custom_range(v: &serde_yaml::Value) -> Result<Option<(u32, u32)>, String> {
    const EXPECTED: &str = "custom-range: expected `[first, last]` (two rule ids) or `false`";
    if v.as_bool() == Some(false) {
        return Ok(None);
    }
    let ids: Option<Vec<u32>> = v.as_sequence().map(|s| {
        s.iter()
            .filter_map(|x| x.as_u64().and_then(|n| u32::try_from(n).ok()))
            .collect()
    });
    match ids {
        Some(ids) if ids.len() == 2 && v.as_sequence().is_some_and(|s| s.len() == 2) => {
            if ids[0] <= ids[1] {
                Ok(Some((ids[0], ids[1])))
            } else {
                Err("custom-range: the first id must not exceed the second".into())
            }
        }
        _ => Err(format!(
            "{EXPECTED}, not `{}`",
            serde_json::to_string(v).unwrap_or_default()
        )),
    }
}

/// A configuration error, with the line of the YAML file it is on.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The validated configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    pub selection: Selection,
    pub severity: BTreeMap<&'static str, Severity>,
    pub missing_technique_min_level: Option<i64>,
    pub attack_version: Option<String>,
    pub manager_attack: Option<String>,
    pub ruleset: Vec<PathBuf>,
    /// `Some(None)`: turned off; `Some(Some(r))`: set; `None`: default.
    pub custom_range: Option<Option<(u32, u32)>>,
    pub fail_on: Option<Severity>,
    pub per_path_ignores: Vec<(globset::GlobMatcher, Vec<String>)>,
    /// The baseline file (`baseline:`), relative to the configuration file's folder.
    pub baseline: Option<PathBuf>,
}

impl Config {
    /// Finds `.wazuh-mitre.yml` from `start` upward.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: None,
            message: format!("cannot read: {e}"),
        })?;
        Config::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let err = |line: Option<usize>, message: String| ConfigError {
            path: path.to_path_buf(),
            line,
            message,
        };
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_yaml::from_str(text).map_err(|e| {
                // The line goes in front, once; serde_yaml also appends it to its message.
                let message = strip_yaml_position(&e.to_string());
                err(e.location().map(|l| l.line()), message)
            })?
        };
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
        let base = path.parent().unwrap_or(Path::new("."));
        let mut cfg = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        cfg.selection = Selection {
            select: raw.select.unwrap_or_default(),
            ignore: raw.ignore.unwrap_or_default(),
        };
        if let Err(e) = cfg.selection.validate() {
            let bad = match &e {
                SelectionError::Unknown(s) => s.as_str(),
                SelectionError::Empty => "",
            };
            return Err(err(line_of(bad), e.to_string()));
        }
        for (code, sev) in raw.severity.unwrap_or_default() {
            let info = find_info(&code)
                .ok_or_else(|| err(line_of(&code), format!("severity: unknown check `{code}`")))?;
            let s = Severity::parse(&sev).ok_or_else(|| {
                err(
                    line_of(&code),
                    format!("severity of `{code}`: `{sev}` is not error, warning or info"),
                )
            })?;
            cfg.severity.insert(info.code, s);
        }
        if let Some(l) = raw.missing_technique_min_level {
            if !(0..=16).contains(&l) {
                return Err(err(
                    line_of("missing-technique-min-level"),
                    format!("missing-technique-min-level: {l} is outside 0-16"),
                ));
            }
        }
        cfg.missing_technique_min_level = raw.missing_technique_min_level;
        cfg.attack_version = raw.attack_version;
        cfg.manager_attack = raw.manager_attack;
        cfg.ruleset = raw
            .ruleset
            .unwrap_or_default()
            .into_iter()
            .map(|p| if p.is_absolute() { p } else { base.join(p) })
            .collect();
        cfg.baseline = raw
            .baseline
            .map(|p| if p.is_absolute() { p } else { base.join(p) });
        cfg.custom_range = match raw.custom_range {
            None => None,
            Some(v) => Some(custom_range(&v).map_err(|m| err(line_of("custom-range"), m))?),
        };
        if let Some(f) = raw.fail_on {
            cfg.fail_on = Some(Severity::parse(&f).ok_or_else(|| {
                err(
                    line_of("fail-on"),
                    format!("fail-on: `{f}` is not error, warning or info"),
                )
            })?);
        }
        for (glob, codes) in raw.per_path_ignores.unwrap_or_default() {
            let sel = Selection {
                select: Vec::new(),
                ignore: codes.clone(),
            };
            sel.validate()
                .map_err(|e| err(line_of(&glob), format!("per-path-ignores: {e}")))?;
            let matcher = path_glob(&glob)
                .map_err(|e| err(line_of(&glob), format!("per-path-ignores: `{glob}`: {e}")))?;
            cfg.per_path_ignores.push((matcher, codes));
        }
        Ok(cfg)
    }

    /// Checks ignored for one file by `per-path-ignores`.
    pub fn ignored_for(&self, path: &Path) -> Vec<&str> {
        let p = path.to_string_lossy();
        let p = p.trim_start_matches("./");
        self.per_path_ignores
            .iter()
            .filter(|(glob, _)| glob.is_match(p))
            .flat_map(|(_, codes)| codes.iter().map(String::as_str))
            .collect()
    }
}

/// `**` any path, `*` within one path segment, `?` one character; matched at the end of the
/// path, so `legacy/**` matches `rules/legacy/a.xml` too.
pub fn path_glob(glob: &str) -> Result<globset::GlobMatcher, globset::Error> {
    let glob = glob.trim_start_matches("./");
    let anywhere = if glob.starts_with("**/") || glob.starts_with('/') {
        glob.trim_start_matches('/').to_string()
    } else {
        format!("**/{glob}")
    };
    Ok(globset::GlobBuilder::new(&anywhere)
        .literal_separator(true)
        .build()?
        .compile_matcher())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_globs_match_at_the_end_of_the_path() {
        let m = |g: &str, p: &str| path_glob(g).unwrap().is_match(p);
        assert!(m("legacy/**", "rules/legacy/a.xml"));
        assert!(m("legacy/**", "legacy/deep/b.xml"));
        assert!(m("./legacy/*.xml", "legacy/a.xml"));
        assert!(
            !m("legacy/*.xml", "legacy/deep/a.xml"),
            "`*` stays within one segment"
        );
        assert!(m("*_rules.xml", "x/0100_rules.xml"));
        assert!(m("r?.xml", "r1.xml") && !m("r?.xml", "r12.xml"));
        assert!(!m("legacy/**", "notlegacy/a.xml"));
        assert!(path_glob("a[").is_err());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_located() {
        let e = Config::parse("select: [WM1]\nfoo: 1\n", Path::new("c.yml")).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("foo"), "{e}");
        let e = Config::parse(
            "severity:\n  missing-technique: fatal\n",
            Path::new("c.yml"),
        )
        .unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = Config::parse("ignore: [WM999]\n", Path::new("c.yml")).unwrap_err();
        assert!(e.message.contains("WM999"));
    }

    #[test]
    fn a_full_config_reads() {
        let c = Config::parse(
            "select: [WM1]\nseverity: {missing-technique: error}\nmissing-technique-min-level: 3\ncustom-range: false\nfail-on: warning\nper-path-ignores:\n  \"legacy/**\": [missing-technique]\n",
            Path::new("/x/c.yml"),
        )
        .unwrap();
        assert_eq!(c.severity.get("WM001"), Some(&Severity::Error));
        assert_eq!(c.custom_range, Some(None));
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!(
            c.ignored_for(Path::new("rules/legacy/a.xml")),
            ["missing-technique"]
        );
        assert!(c.ignored_for(Path::new("rules/new/a.xml")).is_empty());
    }
}
