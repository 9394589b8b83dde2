//! A throwaway PostgreSQL database for a bench: created on the server an admin URL names (with
//! `CREATE DATABASE` rights), dropped with `FORCE` when the guard is dropped, also when the bench
//! panics. Both run on a runtime of their own on a thread of their own, so the guard can be made
//! and dropped inside or outside the bench's runtime.
#![allow(dead_code)]

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

/// The server's URL from `EMPIRE_TEST_DATABASE_URL`, when set.
pub fn admin_url() -> Option<String> {
    std::env::var("EMPIRE_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

pub struct TempDatabase {
    admin: String,
    name: String,
    /// The new database's URL.
    pub url: String,
}

impl TempDatabase {
    /// Creates `<prefix>_<uuid>` on `admin`'s server.
    pub fn create(admin: &str, prefix: &str) -> TempDatabase {
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        if let Err(error) = execute(admin, format!("CREATE DATABASE {name}")) {
            panic!("cannot create a bench database on {admin} (EMPIRE_TEST_DATABASE_URL): {error}");
        }
        let base = admin.split('?').next().unwrap_or(admin);
        let base = base.rsplit_once('/').map(|(base, _)| base).unwrap_or(base);
        TempDatabase {
            admin: admin.to_owned(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        let statement = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        if let Err(error) = execute(&self.admin, statement) {
            eprintln!("warning: could not drop database {}: {error}", self.name);
        }
    }
}

/// Runs one statement on `url` from a thread and runtime of its own.
fn execute(url: &str, statement: String) -> Result<(), String> {
    let url = url.to_owned();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| error.to_string())?
            .block_on(async {
                let mut conn = AsyncPgConnection::establish(&url)
                    .await
                    .map_err(|error| error.to_string())?;
                conn.batch_execute(&statement)
                    .await
                    .map_err(|error| error.to_string())
            })
    })
    .join()
    .map_err(|_| "the thread panicked".to_owned())?
}
