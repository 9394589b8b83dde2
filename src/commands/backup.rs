//! `empire backup --out FILE` and `empire restore --from FILE`, for the embedded SQLite store.
//! A backup is a consistent copy of the live database (taken while the server runs) with the
//! data directory's secrets inside it (`empire_schema::backup`). A restore checks the file
//! first, refuses while a server uses the database, keeps what it replaces beside it, and
//! rebuilds the search index for the restored rows. PostgreSQL is backed up with `pg_dump`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::Utc;
use empire_schema::DatabaseUrl;
use empire_schema::backup::{self, Entry};

use crate::auth::secret::{SECRET_FILE, write_private};
use crate::cli::{BackupArgs, RestoreArgs};
use crate::config::Config;
use crate::sqlite_lock::SqliteNodeLock;

/// The data directory's files a node cannot do without: a restored store is useless if the
/// tokens and keys it issued no longer verify.
const SECRET_FILES: [&str; 1] = [SECRET_FILE];
const FILE_PREFIX: &str = "file:";

pub async fn backup(config: &Config, args: BackupArgs) -> anyhow::Result<()> {
    let source = sqlite_path(config, "backed up")?;
    if !source.is_file() {
        bail!("there is no database at {} to back up", source.display());
    }
    if args.out.exists() && !args.force {
        bail!("{} exists; pass --force to replace it", args.out.display());
    }
    let taken_at = Utc::now().to_rfc3339();
    let mut entries = vec![
        meta("taken_at", &taken_at),
        meta("version", env!("CARGO_PKG_VERSION")),
        meta("source", &source.display().to_string()),
    ];
    let mut secrets = Vec::new();
    for name in SECRET_FILES {
        let path = config.node.data_dir.join(name);
        match std::fs::read(&path) {
            Ok(value) => {
                entries.push(Entry {
                    name: format!("{FILE_PREFIX}{name}"),
                    value,
                });
                secrets.push(name);
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()));
            }
        }
    }
    let partial = with_suffix(&args.out, ".partial");
    remove_if_present(&partial)?;
    // Created empty and private before the copy goes in: it will hold the secrets.
    write_private(&partial, b"").with_context(|| format!("cannot create {}", partial.display()))?;
    let written = {
        let (source, partial) = (source.clone(), partial.clone());
        tokio::task::spawn_blocking(move || backup::write(&source, &partial, &entries)).await?
    };
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error).context("the backup failed; nothing was written");
    }
    std::fs::rename(&partial, &args.out).with_context(|| {
        format!(
            "cannot move {} to {}",
            partial.display(),
            args.out.display()
        )
    })?;
    let bytes = std::fs::metadata(&args.out)?.len();
    println!(
        "{}: {bytes} bytes: the database {} as of {taken_at}, and {}",
        args.out.display(),
        source.display(),
        match secrets.as_slice() {
            [] => "no secret files (the JWT secret comes from EMPIRE_JWT_SECRET)".to_owned(),
            names => format!("the secret files {}", names.join(", ")),
        }
    );
    Ok(())
}

pub async fn restore(config: Config, args: RestoreArgs) -> anyhow::Result<()> {
    let target = sqlite_path(&config, "restored")?;
    let entries = {
        let from = args.from.clone();
        tokio::task::spawn_blocking(move || backup::read(&from)).await??
    };
    let files = files_of(&entries)?;
    let lock = SqliteNodeLock::acquire(&target)?;
    if target.exists() && !args.force {
        bail!(
            "{} exists; pass --force to replace it (it is kept beside it, as {}.before-restore-<time>)",
            target.display(),
            target.display()
        );
    }
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let incoming = with_suffix(&target, ".restoring");
    remove_if_present(&incoming)?;
    std::fs::copy(&args.from, &incoming).with_context(|| {
        format!(
            "cannot copy {} to {}",
            args.from.display(),
            incoming.display()
        )
    })?;
    {
        let incoming = incoming.clone();
        tokio::task::spawn_blocking(move || backup::strip(&incoming)).await??;
    }
    let mut kept = Vec::new();
    if target.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let old = with_suffix(&target, suffix);
            if old.exists() {
                let aside = with_suffix(&target, &format!(".before-restore-{stamp}{suffix}"));
                std::fs::rename(&old, &aside)
                    .with_context(|| format!("cannot move {} aside", old.display()))?;
                kept.push(aside);
            }
        }
    }
    std::fs::rename(&incoming, &target)
        .with_context(|| format!("cannot move {} to {}", incoming.display(), target.display()))?;
    std::fs::create_dir_all(&config.node.data_dir)
        .with_context(|| format!("cannot create {}", config.node.data_dir.display()))?;
    for (name, value) in files {
        let path = config.node.data_dir.join(name);
        if std::fs::read(&path).is_ok_and(|old| old == value) {
            continue;
        }
        if path.exists() {
            let aside = with_suffix(&path, &format!(".before-restore-{stamp}"));
            std::fs::rename(&path, &aside)
                .with_context(|| format!("cannot move {} aside", path.display()))?;
            kept.push(aside);
        }
        write_private(&path, value).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!(
        "{}: restored from {}",
        target.display(),
        args.from.display()
    );
    for path in &kept {
        println!("kept the replaced {}", path.display());
    }
    // The index described the replaced rows; it is rebuilt from the restored ones.
    let search = config.node.data_dir.join("search");
    if search.exists() {
        std::fs::remove_dir_all(&search)
            .with_context(|| format!("cannot remove the old search index {}", search.display()))?;
    }
    // Still locked, so no server starts on the store while its index is written.
    let rebuilt = super::index::rebuild(config).await;
    drop(lock);
    rebuilt
}

/// The SQLite file of `config`, or an error pointing PostgreSQL users at `pg_dump`.
fn sqlite_path(config: &Config, done: &str) -> anyhow::Result<PathBuf> {
    match config.database_url()? {
        DatabaseUrl::Sqlite(path) => Ok(path),
        DatabaseUrl::Postgres(_) => bail!(
            "the database is PostgreSQL, which is {done} with pg_dump and pg_restore (see \
             \"Backups\" in README.md); empire backup and restore are for the embedded SQLite store"
        ),
    }
}

fn meta(name: &str, value: &str) -> Entry {
    Entry {
        name: format!("meta:{name}"),
        value: value.as_bytes().to_vec(),
    }
}

/// The data-directory files in a backup, each named by a plain file name of [`SECRET_FILES`].
fn files_of(entries: &[Entry]) -> anyhow::Result<Vec<(&'static str, &[u8])>> {
    let mut files = Vec::new();
    for entry in entries {
        if let Some(name) = entry.name.strip_prefix(FILE_PREFIX) {
            let Some(known) = SECRET_FILES.iter().find(|known| **known == name) else {
                bail!("the backup holds an unknown file `{name}`; refusing to write it");
            };
            files.push((*known, entry.value.as_slice()));
        }
    }
    Ok(files)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}
