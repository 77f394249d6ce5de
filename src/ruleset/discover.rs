//! Which files a run reads: the paths given (folders recursively) and ruleset folders.

use std::path::{Path, PathBuf};

/// Files named on the command line as given; folders walked recursively for `*.xml`.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let start = out.len();
            walk(path, &mut out)
                .map_err(|e| format!("cannot read folder {}: {e}", path.display()))?;
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
            // A fifo or a device would block the read forever.
            return Err(format!("{}: not a regular file or folder", path.display()));
        } else {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    if out.is_empty() && !paths.is_empty() {
        // A mistyped CI path must not pass as "All checks passed".
        let named: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "no rule files (*.xml) found in {}",
            named.join(", ")
        ));
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        // Folders linked from inside a folder are not followed: a link loop would never end.
        let linked = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink());
        if path.is_dir() && !linked {
            walk(&path, out)?;
        } else if is_xml(&path) && path.is_file() {
            out.push(path);
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
pub fn folder_context(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
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
pub fn ruleset_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read ruleset folder {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_xml(p))
        .collect();
    out.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(out)
}

/// The stock ruleset of a manager installed on this machine, if there is one.
pub fn default_ruleset() -> Option<PathBuf> {
    let p = PathBuf::from("/var/ossec/ruleset/rules");
    p.is_dir().then_some(p)
}
