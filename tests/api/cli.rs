//! The real `empire` binary: configuration errors, `config`, `migrate`, `user create`, `serve`.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use empire_schema::models::User;
use empire_schema::{DatabaseUrl, Db, DbOptions};

use crate::helpers::process::{empire, start_serve, stop, wait_within};
use crate::helpers::{TestDatabase, backends};

fn run(command: &mut Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_within(&mut child, Duration::from_secs(20));
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

type BadConfig = (
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
    &'static str,
);

#[test]
fn bad_configuration_exits_non_zero_with_one_line_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("typo.toml"),
        "[node]\nhttp_adr = \"127.0.0.1:1\"\n",
    )
    .unwrap();
    // (environment, arguments, what the error line must name)
    let cases: [BadConfig; 6] = [
        (
            &[("EMPIRE_HTTP_ADDR", "not-an-address")],
            &["serve"],
            "EMPIRE_HTTP_ADDR",
        ),
        (
            &[("EMPIRE_DATABASE_URL", "mysql://db/x")],
            &["serve"],
            "database.url",
        ),
        (
            &[("EMPIRE_DATABASE_POOL_SIZE", "many")],
            &["migrate"],
            "EMPIRE_DATABASE_POOL_SIZE",
        ),
        (
            &[("EMPIRE_RATE_LIMIT_API_BURST", "lots")],
            &["serve"],
            "EMPIRE_RATE_LIMIT_API_BURST",
        ),
        (
            &[],
            &["--config", "/no/such/empire.toml", "serve"],
            "/no/such/empire.toml",
        ),
        (&[], &["--config", "typo.toml", "serve"], "http_adr"),
    ];
    for (vars, args, named) in cases {
        let started = Instant::now();
        let output = run(empire(dir.path()).envs(vars.iter().copied()).args(args));
        let stderr = text(&output.stderr);

        assert!(!output.status.success(), "{args:?} {vars:?} must fail");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(named), "`{named}` named in: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(
        !dir.path().join("data").exists(),
        "a bad configuration changes nothing"
    );
}

#[test]
fn config_prints_the_effective_settings_with_secrets_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(empire(dir.path())
        .env(
            "EMPIRE_DATABASE_URL",
            "postgres://app:hunter2secret@127.0.0.1:5432/empire",
        )
        .env("EMPIRE_REDIS_URL", "redis://:redispass@127.0.0.1:6379")
        .env(
            "EMPIRE_CLUSTER_COOKIE",
            "a-very-secret-cluster-cookie-value",
        )
        .env("EMPIRE_HTTP_ADDR", "127.0.0.1:9191")
        .env("EMPIRE_TASKS_LEASE_MS", "60000")
        .env("EMPIRE_TASKS_LEASE", "typo")
        .arg("config"));
    let stdout = text(&output.stdout);

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        stdout.contains("http_addr = \"127.0.0.1:9191\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("postgres://app:***@127.0.0.1:5432/empire"),
        "{stdout}"
    );
    for secret in [
        "hunter2secret",
        "redispass",
        "a-very-secret-cluster-cookie-value",
    ] {
        assert!(!stdout.contains(secret), "{secret} leaked: {stdout}");
    }
    assert!(
        stdout.contains("EMPIRE_HTTP_ADDR (node.http_addr)"),
        "{stdout}"
    );
    assert!(stdout.contains("lease_ms = 60000"), "{stdout}");
    assert!(
        stdout.contains("EMPIRE_TASKS_LEASE_MS (tasks.lease_ms)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ignored, not a setting: EMPIRE_TASKS_LEASE "),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_twice_is_harmless_on_every_backend() {
    for backend in backends() {
        let database = TestDatabase::create(backend).await;
        let dir = tempfile::tempdir().unwrap();

        let first = run(empire(dir.path())
            .env("EMPIRE_DATABASE_URL", &database.url)
            .arg("migrate"));
        let second = run(empire(dir.path())
            .env("EMPIRE_DATABASE_URL", &database.url)
            .arg("migrate"));

        assert!(
            first.status.success(),
            "{backend:?}: {}",
            text(&first.stderr)
        );
        assert!(
            text(&first.stdout).contains("applied"),
            "{}",
            text(&first.stdout)
        );
        assert!(
            second.status.success(),
            "{backend:?}: {}",
            text(&second.stderr)
        );
        assert!(
            text(&second.stdout).contains("up to date"),
            "{}",
            text(&second.stdout)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_create_stores_an_argon2id_hash_and_refuses_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let create = || {
        run(empire(dir.path())
            .env("EMPIRE_USER_PASSWORD", "a long enough password")
            .args(["user", "create", "--email", "Boss@Example.com", "--admin"]))
    };

    let first = create();
    let second = create();

    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("boss@example.com"),
        "{}",
        text(&first.stdout)
    );
    assert!(!second.status.success());
    assert!(
        text(&second.stderr).contains("already exists"),
        "{}",
        text(&second.stderr)
    );
    let db = Db::connect(&DbOptions {
        url: DatabaseUrl::Sqlite(dir.path().join("data/empire.db")),
        pool_size: 1,
        connect_timeout: Duration::from_secs(2),
    })
    .await
    .unwrap();
    let user = User::find_by_email(&db, "boss@example.com")
        .await
        .unwrap()
        .expect("the user row");
    assert!(
        user.password_hash.starts_with("$argon2id$"),
        "{}",
        user.password_hash
    );
    assert_eq!(user.permissions.0, vec!["admin.full".to_owned()]);

    let weak = run(empire(dir.path())
        .env("EMPIRE_USER_PASSWORD", "short")
        .args(["user", "create", "--email", "weak@example.com"]));
    assert!(!weak.status.success());
    assert!(
        text(&weak.stderr).contains("password must be"),
        "{}",
        text(&weak.stderr)
    );
}

#[test]
fn serve_on_embedded_defaults_creates_the_database_prints_the_admin_once_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();

    let (first, _port) = start_serve(empire(dir.path()));
    assert!(dir.path().join("data/empire.db").exists());
    let first_stdout = stop(first);

    let password = first_stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("password: "))
        .expect("the generated admin password is printed on first start");
    assert!(password.len() >= 20, "{password}");
    assert!(first_stdout.contains("admin@empire.local"));

    let (second, _) = start_serve(empire(dir.path()));
    // SQLite serves one node: another `serve` on the same database is refused while it runs.
    let refused = run(empire(dir.path())
        .env("EMPIRE_HTTP_ADDR", "127.0.0.1:0")
        .arg("serve"));
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr)
            .contains("another empire node is already serving the SQLite database"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!stop(second).contains("password"), "printed once only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apikey_create_prints_a_key_within_the_users_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let user = run(empire(dir.path())
        .env("EMPIRE_USER_PASSWORD", "a long enough password")
        .args([
            "user",
            "create",
            "--email",
            "bot@example.com",
            "--permissions",
            "agents.read,agents.manage",
        ]));
    assert!(user.status.success(), "{}", text(&user.stderr));

    let created = run(empire(dir.path()).args([
        "apikey",
        "create",
        "--email",
        "bot@example.com",
        "--scopes",
        "agents.read",
    ]));
    let too_wide = run(empire(dir.path()).args([
        "apikey",
        "create",
        "--email",
        "bot@example.com",
        "--scopes",
        "admin.full",
    ]));

    assert!(created.status.success(), "{}", text(&created.stderr));
    let key = text(&created.stdout).trim().to_owned();
    assert_eq!(key.lines().count(), 1);
    let prefix = empire::auth::api_key::parse(&key).expect("a well-formed key");
    let db = Db::connect(&DbOptions {
        url: DatabaseUrl::Sqlite(dir.path().join("data/empire.db")),
        pool_size: 1,
        connect_timeout: Duration::from_secs(2),
    })
    .await
    .unwrap();
    let row = empire_schema::models::ApiKey::find_by_prefix(&db, &prefix)
        .await
        .unwrap()
        .expect("the key row");
    assert!(empire::auth::api_key::matches(&key, &row.key_hash));
    assert_eq!(row.scopes.0, vec!["agents.read".to_owned()]);
    assert!(!too_wide.status.success());
    assert!(
        text(&too_wide.stderr).contains("does not hold admin.full"),
        "{}",
        text(&too_wide.stderr)
    );
}
