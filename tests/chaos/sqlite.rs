//! SQLite kill -9 integrity: a node on its embedded SQLite file under write load is killed with
//! `kill -9` at random moments, round after round. While it is down the file must pass
//! `PRAGMA integrity_check` and hold every task acknowledged before the kill; the node restarts
//! on it (recovery: until it takes tasks again), and in the end every acknowledged task is done.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;
use reqwest::Client;

use crate::Mode;
use crate::helpers::cluster::admin_token_at;
use crate::load::{self, Load, Spec, Targets};
use crate::services::Missing;
use crate::single;
use crate::tally::{self, Figures};

const RECOVER_BOUND: Duration = Duration::from_secs(15);

#[derive(QueryableByName)]
struct Integrity {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Opens the file as the restarted node would (recovering its WAL), checks it and returns the
/// ids of its tasks.
fn check_file(path: &Path) -> BTreeSet<String> {
    let mut conn = SqliteConnection::establish(&path.display().to_string()).unwrap();
    let checks: Vec<Integrity> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .unwrap();
    let checks: Vec<&str> = checks.iter().map(|c| c.integrity_check.as_str()).collect();
    assert_eq!(checks, ["ok"], "PRAGMA integrity_check after kill -9");
    diesel::sql_query("SELECT id FROM tasks")
        .load::<Id>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect()
}

pub async fn run(mode: Mode) -> Result<(), Missing> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chaos.db");
    let database_url = format!("sqlite://{}", file.display());
    let mut node = single::start(dir.path(), &database_url, None, 1000);
    let client = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let token = admin_token_at(&client, &node.base).await;
    let targets = Targets::new(vec![node.base.clone()]);
    let spec = Spec {
        agent: "seo_optimizer",
        sleep_ms: 50,
        workers: 3,
        pause: Duration::from_millis(20),
    };
    let load = Load::start(&client, &targets, &token, "sqlite", spec.clone());
    let kills = mode.pick(5, 15);
    let mut recoveries = Vec::new();
    let mut checked = 0;
    for round in 0..kills {
        let after = Duration::from_millis(rand::random_range(1_000..3_000));
        tokio::time::sleep(after).await;
        // The clients keep sending: the kill cuts submissions in flight, later ones are refused.
        node.kill9();
        let acknowledged = load.accepted_ids();
        let stored = check_file(&file);
        let missing: Vec<&String> = acknowledged
            .iter()
            .filter(|id| !stored.contains(*id))
            .collect();
        assert!(
            missing.is_empty(),
            "acknowledged tasks missing from the file after kill -9: {missing:?}"
        );
        checked += acknowledged.len();

        let restarted = Instant::now();
        node.restart();
        let accepted = load.accepted();
        targets.set(0, Some(node.base.clone()));
        load::ready_turns(&client, &node.base, 200, restarted, RECOVER_BOUND * 3).await;
        while load.accepted() == accepted {
            assert!(
                restarted.elapsed() < RECOVER_BOUND * 3,
                "no task accepted after the restart"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let recovered = restarted.elapsed();
        recoveries.push(recovered);
        println!(
            "kill {} after {:.1} s of load: integrity ok, {} acknowledged tasks all in the file ({} rows); taking tasks {:.1} s after the restart",
            round + 1,
            after.as_secs_f64(),
            acknowledged.len(),
            stored.len(),
            recovered.as_secs_f64()
        );
    }
    let record = load.stop().await;
    let tally = tally::settle(
        &client,
        &node.base,
        &token,
        &record,
        "sqlite",
        &spec,
        Duration::from_secs(60),
    )
    .await;
    Figures {
        name: format!("sqlite ({kills} kill -9 under write load)"),
        tally,
        refused: record.refused(),
        recovery: "restart until taking tasks again",
        recover: recoveries,
        bound: RECOVER_BOUND,
        note: format!(
            "integrity_check ok after each kill; {checked} acknowledged-before-kill checks all found in the file"
        ),
    }
    .report();
    Ok(())
}
