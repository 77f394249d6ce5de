//! Atomic, careful writes: a temporary file in the same folder, fsync, rename; the original
//! permissions kept; never over a file that changed on disk since it was read.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.wazuh-mitre-{}.tmp", std::process::id()))
}

/// Replaces `path` with `new_text`, provided it still holds `expected`.
pub fn write_atomic(path: &Path, expected: &[u8], new_text: &str) -> Result<(), String> {
    let current = fs::read(path).map_err(|e| format!("cannot read it again: {e}"))?;
    if current != expected {
        return Err("it changed on disk since it was read; not written".into());
    }
    let permissions = fs::metadata(path).map_err(|e| e.to_string())?.permissions();
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(new_text.as_bytes())?;
        f.sync_all()?;
        fs::set_permissions(&tmp, permissions)?;
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
        return Err(format!("cannot write: {e}"));
    }
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
        assert!(err.contains("changed on disk"));
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file is left"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
