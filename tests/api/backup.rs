//! `empire backup` and `empire restore` with the real binary: a live SQLite store is copied
//! while its server runs, restored elsewhere with its secret (a token issued before the backup
//! still works there), and every refusal leaves the files as they were.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use empire_schema::backup::{self, BackupError};
use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::process::{empire, start_serve, stop, wait_within};

const EMAIL: &str = "ops@example.com";
const PASSWORD: &str = "a long enough password";

fn run(command: &mut Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_within(&mut child, Duration::from_secs(60));
    child.wait_with_output().unwrap()
}

/// Runs `empire args…` in `dir`; (succeeded, stdout + stderr).
fn empire_in(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = run(empire(dir).args(args));
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

async fn login(port: u16) -> String {
    let login: Value = Client::new()
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
        .json(&json!({ "email": EMAIL, "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().unwrap().to_owned()
}

async fn me(port: u16, token: &str) -> u16 {
    Client::new()
        .get(format!("http://127.0.0.1:{port}/api/v1/auth/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_sqlite_store_is_backed_up_and_restored_with_its_secret() {
    let first = tempfile::tempdir().unwrap();
    let created = run(empire(first.path())
        .env("EMPIRE_USER_PASSWORD", PASSWORD)
        .args(["user", "create", "--email", EMAIL]));
    assert!(created.status.success());
    let (server, port) = start_serve(empire(first.path()));
    let token = login(port).await;
    assert_eq!(me(port, &token).await, 200);

    // Taken while the server runs.
    let file = first.path().join("backup.db");
    let file_arg = file.to_str().unwrap();
    let (ok, out) = empire_in(first.path(), &["backup", "--out", file_arg]);
    assert!(ok, "{out}");
    assert!(out.contains("jwt_secret"), "the secret is in it: {out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "it holds a secret");
    }
    let (ok, out) = empire_in(first.path(), &["backup", "--out", file_arg]);
    assert!(!ok && out.contains("--force"), "no silent overwrite: {out}");
    // No restore under a running server.
    let (ok, out) = empire_in(first.path(), &["restore", "--from", file_arg, "--force"]);
    assert!(
        !ok && out.contains("already serving"),
        "refused while serving: {out}"
    );
    stop(server);

    let second = tempfile::tempdir().unwrap();
    let (ok, out) = empire_in(second.path(), &["restore", "--from", file_arg]);
    assert!(ok, "{out}");
    let restored = second.path().join("data/empire.db");
    assert_eq!(
        std::fs::read(second.path().join("data/jwt_secret")).unwrap(),
        std::fs::read(first.path().join("data/jwt_secret")).unwrap()
    );
    assert!(
        matches!(backup::read(&restored), Err(BackupError::NotABackup(_))),
        "the restored store has no backup table"
    );
    let before = std::fs::read(&restored).unwrap();
    let (ok, out) = empire_in(second.path(), &["restore", "--from", file_arg]);
    assert!(!ok && out.contains("--force"), "{out}");
    assert_eq!(
        std::fs::read(&restored).unwrap(),
        before,
        "a refusal changes nothing"
    );

    // The restored node knows the user, and the token issued before the backup still verifies.
    let (server, port) = start_serve(empire(second.path()));
    assert_eq!(me(port, &token).await, 200);
    assert!(!login(port).await.is_empty());
    stop(server);

    // --force keeps the replaced store beside it.
    let (ok, out) = empire_in(second.path(), &["restore", "--from", file_arg, "--force"]);
    assert!(ok && out.contains("before-restore-"), "{out}");

    // Files that are not backups: a plain store, and bytes that are not SQLite.
    let third = tempfile::tempdir().unwrap();
    let junk = third.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    for from in [restored.to_str().unwrap(), junk.to_str().unwrap()] {
        let (ok, out) = empire_in(third.path(), &["restore", "--from", from]);
        assert!(!ok && out.contains("not an empire backup"), "{from}: {out}");
    }
    assert!(!third.path().join("data/empire.db").exists());

    // PostgreSQL is pointed at pg_dump.
    let output = run(empire(third.path())
        .env(
            "EMPIRE_DATABASE_URL",
            "postgres://postgres@127.0.0.1:1/none",
        )
        .args(["backup", "--out", "x.db"]));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && stderr.contains("pg_dump"),
        "{stderr}"
    );
}
