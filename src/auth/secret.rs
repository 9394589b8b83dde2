//! The JWT signing secret: `EMPIRE_JWT_SECRET` (at least 32 bytes), or one generated on first
//! start and kept in the data directory with mode 0600, so every restart accepts old tokens.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use rand::RngCore;

pub const MIN_SECRET_BYTES: usize = 32;
/// The generated secret's file in the data directory.
pub const SECRET_FILE: &str = "jwt_secret";

pub fn load_or_create(configured: &str, data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    if !configured.is_empty() {
        if configured.len() < MIN_SECRET_BYTES {
            bail!("EMPIRE_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes");
        }
        return Ok(configured.as_bytes().to_vec());
    }
    let path = data_dir.join(SECRET_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) if text.trim().len() >= MIN_SECRET_BYTES => {
            return Ok(text.trim().as_bytes().to_vec());
        }
        Ok(_) => bail!(
            "{} is shorter than {MIN_SECRET_BYTES} bytes; delete it to generate a new one",
            path.display()
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(error).with_context(|| format!("cannot read {}", path.display())),
    }
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = empire_schema::hex::hex(&bytes);
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    write_private(&path, secret.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a JWT signing secret");
    Ok(secret.into_bytes())
}

/// Creates `path` (which must not exist) readable by its owner only, with `secret` in it.
pub(crate) fn write_private(path: &Path, secret: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(secret)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_configured_secret_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_or_create("too short", dir.path()).is_err());
        assert_eq!(
            load_or_create(&"x".repeat(32), dir.path()).unwrap().len(),
            32
        );
    }

    #[test]
    fn a_generated_secret_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create("", dir.path()).unwrap();
        let second = load_or_create("", dir.path()).unwrap();
        assert_eq!(first, second);
        assert!(first.len() >= MIN_SECRET_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
