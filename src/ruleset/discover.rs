//! Which files a run reads: the paths given (folders recursively) and ruleset folders.

use std::path::{Path, PathBuf};

/// Files named on the command line as given; folders walked recursively for `*.xml`.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out)
                .map_err(|e| format!("cannot read folder {}: {e}", path.display()))?;
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
