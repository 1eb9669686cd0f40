//! Writing the registered app's credentials to `.env` (mode 0600). An
//! existing `.env` is copied aside first, and its other lines are kept.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Quotes a value so that `.env` readers (and orgradar) read it back as it was.
fn quote(value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

/// Sets `values` in the `.env` at `path`. Returns the backup of the old file, if there was one.
pub fn write(
    path: &Path,
    values: &[(&str, &str)],
    stamp: &str,
) -> std::io::Result<Option<PathBuf>> {
    let old = std::fs::read_to_string(path).ok();
    let backup = match &old {
        Some(text) => {
            let backup = path.with_file_name(format!(".env.backup-{stamp}"));
            create_private(&backup)?.write_all(text.as_bytes())?;
            Some(backup)
        }
        None => None,
    };
    let mut out = String::new();
    for line in old.as_deref().unwrap_or_default().lines() {
        let key = line.split('=').next().unwrap_or_default().trim();
        let key = key.strip_prefix("export ").unwrap_or(key).trim();
        if !values.iter().any(|(k, _)| *k == key) {
            out.push_str(line);
            out.push('\n');
        }
    }
    for (key, value) in values {
        out.push_str(&format!("{key}={}\n", quote(value)));
    }
    let temporary = path.with_file_name(format!(".env.writing-{stamp}"));
    {
        let mut file = create_private(&temporary)?;
        file.write_all(out.as_bytes())?;
        file.sync_all()?;
    }
    std::fs::rename(&temporary, path)?;
    Ok(backup)
}

fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_other_lines_backs_up_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "PORT=8080\nAPP_ID=1\n").unwrap();
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nabc\"def\n-----END RSA PRIVATE KEY-----\n";
        let backup = write(&path, &[("APP_ID", "4242"), ("PRIVATE_KEY", pem)], "t1").unwrap();
        assert_eq!(
            std::fs::read_to_string(backup.unwrap()).unwrap(),
            "PORT=8080\nAPP_ID=1\n"
        );
        let read: Vec<(String, String)> = dotenvy::from_path_iter(&path)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(read[0], ("PORT".into(), "8080".into()));
        assert_eq!(read[1], ("APP_ID".into(), "4242".into()));
        assert_eq!(read[2], ("PRIVATE_KEY".into(), pem.into()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
