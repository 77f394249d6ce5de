//! Which files a run reads: the paths given (folders recursively) and ruleset folders.
//!
//! Folders are walked in full, `.gitignore` or not: the manager reads every `*.xml` of its
//! rule folders whatever git ignores, and a linter that skipped an ignored rule file would pass
//! a deployment that fails. An entry that cannot be read stops the run with its name.

use std::path::{Path, PathBuf};

/// Why the files of a run could not be listed.
#[derive(Debug)]
pub enum DiscoverError {
    /// A path given does not exist.
    NotFound(PathBuf),
    /// A path given is a fifo, a device or a socket: reading it could block forever.
    NotAFileOrFolder(PathBuf),
    /// A folder, or an entry of one, could not be read.
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The paths given hold no `*.xml` at all.
    NoRuleFiles(Vec<PathBuf>),
}

impl std::fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiscoverError::NotFound(p) => write!(f, "{}: no such file or folder", p.display()),
            DiscoverError::NotAFileOrFolder(p) => {
                write!(f, "{}: not a regular file or folder", p.display())
            }
            DiscoverError::Unreadable { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            DiscoverError::NoRuleFiles(paths) => {
                let named: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                write!(f, "no rule files (*.xml) found in {}", named.join(", "))
            }
        }
    }
}

impl std::error::Error for DiscoverError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DiscoverError::Unreadable { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Files named on the command line as given; folders walked recursively for `*.xml`.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, DiscoverError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let start = out.len();
            walk(path, &mut out)?;
            if path.as_os_str() == "." {
                // The current folder (the default): `rules/a.xml`, not `./rules/a.xml`.
                for found in &mut out[start..] {
                    if let Ok(bare) = found.strip_prefix(".") {
                        *found = bare.to_path_buf();
                    }
                }
            }
        } else if path.is_file() {
            out.push(path.clone());
        } else if path.exists() {
            return Err(DiscoverError::NotAFileOrFolder(path.clone()));
        } else {
            return Err(DiscoverError::NotFound(path.clone()));
        }
    }
    if out.is_empty() && !paths.is_empty() {
        // A mistyped CI path must not pass as "All checks passed".
        return Err(DiscoverError::NoRuleFiles(paths.to_vec()));
    }
    Ok(out)
}

/// The `*.xml` files under `dir`, sorted by path. Folders linked from inside are not followed
/// (a link loop would never end); files linked are read.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DiscoverError> {
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name();
    for entry in entries {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            let source = e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("a folder loop"));
            DiscoverError::Unreadable { path, source }
        })?;
        let path = entry.path();
        if is_xml(path) && path.is_file() {
            out.push(path.to_path_buf());
        }
    }
    Ok(())
}

fn is_xml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
}

/// The deployment of each file named in `paths` (not found in a folder): the other `*.xml`
/// files of its folder, which the manager loads with it from one flat `etc/rules`.
pub fn folder_context(paths: &[PathBuf]) -> Result<Vec<PathBuf>, DiscoverError> {
    let mut folders: Vec<&Path> = paths
        .iter()
        .filter(|p| p.is_file())
        .map(|p| match p.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        })
        .collect();
    folders.sort();
    folders.dedup();
    let mut out = Vec::new();
    for dir in folders {
        out.extend(ruleset_files(dir)?.into_iter().map(|p| {
            // Spelt like the named file (`local_rules.xml`, not `./local_rules.xml`).
            match p.strip_prefix(".") {
                Ok(bare) if dir == Path::new(".") => bare.to_path_buf(),
                _ => p,
            }
        }));
    }
    Ok(out)
}

/// A ruleset folder as the manager reads a `rule_dir`: its own `*.xml` files, by file name,
/// without sub-folders.
pub fn ruleset_files(dir: &Path) -> Result<Vec<PathBuf>, DiscoverError> {
    let unreadable = |path: &Path, source| DiscoverError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let path = entry.map_err(|e| unreadable(dir, e))?.path();
        if path.is_file() && is_xml(&path) {
            out.push(path);
        }
    }
    out.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(out)
}

/// The stock ruleset of a manager installed on this machine, if there is one.
pub fn default_ruleset() -> Option<PathBuf> {
    let p = PathBuf::from("/var/ossec/ruleset/rules");
    p.is_dir().then_some(p)
}
