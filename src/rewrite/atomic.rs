//! Atomic, careful writes: a temporary file in the same folder, fsync, rename; the original
//! permissions, owner and group kept (a `wazuh:wazuh 0660` file rewritten by root stays
//! readable to the manager); a symbolic link written through to its target, not replaced;
//! never over a file that changed on disk since it was read.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was not written. Nothing was changed on disk in any case.
#[derive(Debug)]
pub enum WriteError {
    /// A symbolic link that could not be followed to its file.
    FollowLink(std::io::Error),
    /// The file could not be read again before writing.
    ReadAgain(std::io::Error),
    /// The file changed on disk since it was read.
    Changed,
    /// Writing the temporary file, keeping the owner, or the rename failed.
    Write(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::FollowLink(e) => write!(f, "cannot follow the link: {e}"),
            WriteError::ReadAgain(e) => write!(f, "cannot read it again: {e}"),
            WriteError::Changed => f.write_str("it changed on disk since it was read; not written"),
            WriteError::Write(e) => write!(f, "cannot write: {e}"),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::FollowLink(e) | WriteError::ReadAgain(e) | WriteError::Write(e) => Some(e),
            WriteError::Changed => None,
        }
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.wazuh-mitre-{}.tmp", std::process::id()))
}

/// Replaces `path` with `new_text`, provided it still holds `expected`.
pub fn write_atomic(path: &Path, expected: &[u8], new_text: &str) -> Result<(), WriteError> {
    // A link is written through: the file it points to is the one the manager reads.
    let target;
    let path = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        target = fs::canonicalize(path).map_err(WriteError::FollowLink)?;
        target.as_path()
    } else {
        path
    };
    let current = fs::read(path).map_err(WriteError::ReadAgain)?;
    if current != expected {
        return Err(WriteError::Changed);
    }
    let metadata = fs::metadata(path).map_err(WriteError::ReadAgain)?;
    let permissions = metadata.permissions();
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(new_text.as_bytes())?;
        f.sync_all()?;
        fs::set_permissions(&tmp, permissions)?;
        keep_owner(&tmp, &metadata)?;
        fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(WriteError::Write(e));
    }
    Ok(())
}

/// Writes a new file at `path` through a temporary file and a rename, so no reader sees it
/// half-written; never over a file that appeared meanwhile.
pub fn create_atomic(path: &Path, text: &str) -> Result<(), WriteError> {
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if path.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "it appeared on disk meanwhile; not written",
            ));
        }
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(WriteError::Write(e));
    }
    Ok(())
}

/// Gives the new file the old one's owner and group; an error (the file is then not
/// written) when this user may not, rather than leave a file the manager cannot read.
#[cfg(unix)]
fn keep_owner(tmp: &Path, old: &fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let new = fs::metadata(tmp)?;
    if (new.uid(), new.gid()) == (old.uid(), old.gid()) {
        return Ok(());
    }
    std::os::unix::fs::chown(tmp, Some(old.uid()), Some(old.gid())).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!(
                "cannot keep its owner and group ({}:{}): {e}; run as that user or as root",
                old.uid(),
                old.gid()
            ),
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_tmp: &Path, _old: &fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn writes_keep_permissions_and_refuse_changed_files() {
        let dir = std::env::temp_dir().join(format!("wm-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("r.xml");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"old", "new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        #[cfg(unix)]
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let err = write_atomic(&p, b"old", "newer").unwrap_err();
        assert!(matches!(err, WriteError::Changed), "{err}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file is left"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn writes_keep_owner_and_group_and_go_through_links() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.xml");
        fs::write(&real, "old").unwrap();
        // Another owner and group, where this user may set them (root in CI and here).
        let changed = std::os::unix::fs::chown(&real, Some(65534), Some(65534)).is_ok();
        let link = dir.path().join("local_rules.xml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"old", "new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        if changed {
            let m = fs::metadata(&real).unwrap();
            assert_eq!((m.uid(), m.gid()), (65534, 65534));
        }
    }
}
