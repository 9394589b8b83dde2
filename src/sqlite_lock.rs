//! SQLite serves one node: `serve` holds an exclusive lock on `<database>.node-lock` while it
//! runs, so a second node started on the same file is refused with a clear message instead
//! of sharing it. The operating system drops the lock when the process ends, even on kill -9.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

pub struct SqliteNodeLock {
    _file: File,
}

impl SqliteNodeLock {
    pub fn acquire(database: &Path) -> anyhow::Result<SqliteNodeLock> {
        if let Some(dir) = database.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let path = database.with_extension("db.node-lock");
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => bail!(
                "another empire node is already serving the SQLite database {} (SQLite serves a \
                 single node; a cluster shares one PostgreSQL: see \"Running a cluster\" in README.md)",
                database.display()
            ),
            Err(TryLockError::Error(error)) => {
                return Err(error).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        file.set_len(0)?;
        writeln!(file, "{}", std::process::id())?;
        Ok(SqliteNodeLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_node_on_the_same_file_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("data").join("empire.db");
        let first = SqliteNodeLock::acquire(&database).unwrap();
        let refused = SqliteNodeLock::acquire(&database)
            .err()
            .unwrap()
            .to_string();
        assert!(
            refused.contains("already serving the SQLite database"),
            "{refused}"
        );
        drop(first);
        assert!(SqliteNodeLock::acquire(&database).is_ok());
    }
}
