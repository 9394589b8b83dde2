//! A fresh database per test: a temp SQLite file, or `CREATE DATABASE test_<uuid>` on the
//! PostgreSQL named by `EMPIRE_TEST_DATABASE_URL`, dropped when the test ends.

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

/// SQLite always; PostgreSQL too when the CI variable is set.
pub fn backends() -> Vec<TestBackend> {
    let mut backends = vec![TestBackend::Sqlite];
    if admin_url().is_some() {
        backends.push(TestBackend::Postgres);
    }
    backends
}

pub fn admin_url() -> Option<String> {
    std::env::var("EMPIRE_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

pub struct TestDatabase {
    pub url: String,
    postgres: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub async fn create(backend: TestBackend) -> TestDatabase {
        match backend {
            TestBackend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                TestDatabase {
                    url,
                    postgres: None,
                    _dir: Some(dir),
                }
            }
            TestBackend::Postgres => {
                let admin =
                    admin_url().expect("EMPIRE_TEST_DATABASE_URL is set for PostgreSQL tests");
                let name = format!("test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = AsyncPgConnection::establish(&admin)
                    .await
                    .expect("connect to PostgreSQL");
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create database");
                TestDatabase {
                    url: with_database(&admin, &name),
                    postgres: Some((admin, name)),
                    _dir: None,
                }
            }
        }
    }

    /// The PostgreSQL host and port, for tests that put a proxy in front of it.
    pub fn postgres_addr(&self) -> Option<std::net::SocketAddr> {
        let (admin, _) = self.postgres.as_ref()?;
        let host_port = admin.split('@').nth(1)?.split('/').next()?;
        host_port.parse().ok()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = AsyncPgConnection::establish(&admin).await?;
                conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("warning: could not drop a test database");
        }
    }
}

/// Replaces the database name of a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}
