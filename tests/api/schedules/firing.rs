//! Firing: an every-second schedule creates tasks; `skip` fires nothing while the last run
//! runs, `cancel` cancels it; missed ticks fire once within catch-up and not at all after it;
//! two claims of one tick over one database: exactly one wins.

use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, SubsecRound, Timelike};
use empire_schema::clock::{new_id, now};
use empire_schema::models::{Overlap, Schedule, ScheduleTarget};
use empire_schema::{AgentId, Json};
use reqwest::Method;
use serde_json::{Value, json};

use super::{create, get};
use crate::helpers::{TestApp, TestBackend, backends, spawn_app, spawn_app_with};

/// Generous: the loop wakes every second, CI machines are slow.
const DEADLINE: Duration = Duration::from_secs(30);

async fn app(backend: TestBackend) -> TestApp {
    spawn_app_with(backend, |config| config.tasks.fault_injection = true).await
}

fn every_second(ms: u64, overlap: &str) -> Value {
    json!({
        "name": "tick",
        "cron": "*/1 * * * * *",
        "timezone": "UTC",
        "task": {"agent": "seo_optimizer", "kind": "sleep", "input": {"ms": ms}},
        "overlap": overlap,
    })
}

/// The tasks a schedule started, oldest first.
async fn tasks_of(app: &TestApp, token: &str, schedule_id: &str) -> Vec<Value> {
    let response = app
        .with(
            Method::GET,
            "/api/v1/tasks?agent=seo_optimizer&limit=200",
            token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let prefix = format!("schedule:{schedule_id}:");
    let mut tasks: Vec<Value> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|task| {
            task["idempotency_key"]
                .as_str()
                .is_some_and(|key| key.starts_with(&prefix))
        })
        .cloned()
        .collect();
    tasks.reverse();
    tasks
}

async fn wait_for_tasks(app: &TestApp, token: &str, id: &str, count: usize) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let tasks = tasks_of(app, token, id).await;
        if tasks.len() >= count {
            return tasks;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "schedule {id} made {} of {count} tasks",
            tasks.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn delete(app: &TestApp, token: &str, id: &str) {
    let response = app
        .with(Method::DELETE, &format!("/api/v1/schedules/{id}"), token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_every_second_schedule_fires_tasks() {
    for backend in backends() {
        let app = app(backend).await;
        let token = app.admin_token().await;
        let schedule = create(&app, &token, &every_second(5, "queue")).await;
        let id = schedule["id"].as_str().unwrap();
        let tasks = wait_for_tasks(&app, &token, id, 2).await;
        delete(&app, &token, id).await;
        let done = app
            .wait_task(&token, tasks[0]["id"].as_str().unwrap())
            .await;
        assert_eq!(done["status"], "succeeded", "{done}");
        assert_eq!(done["kind"], "sleep");
        let keys: Vec<&str> = tasks
            .iter()
            .map(|t| t["idempotency_key"].as_str().unwrap())
            .collect();
        let mut unique = keys.clone();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "one task per tick: {keys:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedule_records_its_last_run() {
    let app = app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let schedule = create(&app, &token, &every_second(5, "skip")).await;
    let id = schedule["id"].as_str().unwrap();
    let tasks = wait_for_tasks(&app, &token, id, 1).await;
    let started = Instant::now();
    let seen = loop {
        let seen = get(&app, &token, id).await;
        if seen["last_task_id"].is_string() {
            break seen;
        }
        assert!(started.elapsed() < DEADLINE, "{seen}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    delete(&app, &token, id).await;
    assert!(seen["last_run_at"].is_string(), "{seen}");
    assert!(seen["next_run_at"].as_str() > seen["last_run_at"].as_str());
    assert!(
        tasks.iter().any(|task| task["id"] == seen["last_task_id"]),
        "{seen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlap_skip_fires_nothing_while_the_last_run_runs() {
    let app = app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let schedule = create(&app, &token, &every_second(30_000, "skip")).await;
    let id = schedule["id"].as_str().unwrap();
    let first = wait_for_tasks(&app, &token, id, 1).await;
    let first_id = first[0]["id"].as_str().unwrap().to_owned();
    // Several ticks pass while the first sleeps.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let tasks = tasks_of(&app, &token, id).await;
    let still = app.task(&token, &first_id).await;
    delete(&app, &token, id).await;
    assert!(
        ["queued", "running"].contains(&still["status"].as_str().unwrap()),
        "{still}"
    );
    assert_eq!(
        tasks.len(),
        1,
        "no tick fired while the first ran: {tasks:?}"
    );
    app.with(
        Method::POST,
        &format!("/api/v1/tasks/{first_id}/cancel"),
        &token,
    )
    .send()
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlap_cancel_cancels_the_last_run_and_fires() {
    let app = app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let schedule = create(&app, &token, &every_second(30_000, "cancel")).await;
    let id = schedule["id"].as_str().unwrap();
    let tasks = wait_for_tasks(&app, &token, id, 2).await;
    delete(&app, &token, id).await;
    let first = app
        .wait_task(&token, tasks[0]["id"].as_str().unwrap())
        .await;
    assert_eq!(first["status"], "cancelled", "{first}");
    for task in tasks_of(&app, &token, id).await {
        let id = task["id"].as_str().unwrap();
        app.with(Method::POST, &format!("/api/v1/tasks/{id}/cancel"), &token)
            .send()
            .await
            .unwrap();
    }
}

fn row(cron: &str, next_run_at: NaiveDateTime, catch_up_s: i64) -> Schedule {
    let at = now();
    Schedule {
        id: new_id(),
        name: "missed".into(),
        cron: cron.into(),
        timezone: "UTC".into(),
        target: ScheduleTarget::Task,
        agent: Some(AgentId::SeoOptimizer),
        kind: "sleep".into(),
        input: Json(json!({"ms": 5})),
        overlap: Overlap::Queue,
        catch_up_s,
        paused: false,
        next_run_at: Some(next_run_at),
        last_run_at: None,
        last_task_id: None,
        last_workflow_id: None,
        created_at: at,
        updated_at: at,
    }
}

/// Waits until the loop has moved the schedule's next run into the future.
async fn wait_moved_on(app: &TestApp, id: &str) -> Schedule {
    let started = Instant::now();
    loop {
        let schedule = Schedule::get(&app.db, id).await.unwrap();
        if schedule.next_run_at.is_some_and(|next| next > now()) {
            return schedule;
        }
        assert!(started.elapsed() < DEADLINE, "{schedule:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missed_ticks_fire_once_within_catch_up_and_not_after_it() {
    for backend in backends() {
        let app = app(backend).await;
        let token = app.admin_token().await;
        let minute = chrono::Duration::minutes(1);
        let base = now().trunc_subsecs(0);
        // Down for three minutes, with five minutes of catch-up: one run for the three ticks.
        let recent = row("* * * * *", base - minute * 3, 300);
        // A daily tick missed two hours ago, with five minutes of catch-up: nothing runs.
        let missed = base.with_second(0).unwrap() - minute * 120;
        let daily = format!("{} {} * * *", missed.minute(), missed.hour());
        let old = row(&daily, missed, 300);
        Schedule::create(&app.db, &recent).await.unwrap();
        Schedule::create(&app.db, &old).await.unwrap();

        wait_moved_on(&app, &recent.id).await;
        let started = Instant::now();
        // The claim moves the next run first; the task is recorded after it is submitted.
        while Schedule::get(&app.db, &recent.id)
            .await
            .unwrap()
            .last_task_id
            .is_none()
        {
            assert!(
                started.elapsed() < DEADLINE,
                "the caught-up tick fired nothing"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(tasks_of(&app, &token, &recent.id).await.len(), 1);

        let skipped = wait_moved_on(&app, &old.id).await;
        assert!(skipped.last_run_at.is_none(), "{skipped:?}");
        assert!(skipped.last_task_id.is_none());
        assert!(tasks_of(&app, &token, &old.id).await.is_empty());
        for id in [&recent.id, &old.id] {
            Schedule::delete(&app.db, id).await.unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_claims_of_one_tick_one_wins() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let hour = chrono::Duration::hours(1);
        // In the future, so the app's own loop leaves it alone.
        let mut tick = now().trunc_subsecs(0) + hour;
        let schedule = row("* * * * *", tick, 300);
        Schedule::create(&app.db, &schedule).await.unwrap();
        for _ in 0..10 {
            let next = tick + chrono::Duration::minutes(1);
            let (a, b) = tokio::join!(
                Schedule::claim(&app.db, &schedule.id, tick, next),
                Schedule::claim(&app.db, &schedule.id, tick, next),
            );
            let (a, b) = (a.unwrap(), b.unwrap());
            assert!(a ^ b, "exactly one claim wins: {a} {b}");
            let claimed = Schedule::get(&app.db, &schedule.id).await.unwrap();
            assert_eq!(claimed.next_run_at, Some(next));
            assert_eq!(claimed.last_run_at, Some(tick));
            tick = next;
        }
        // A paused schedule's tick cannot be claimed.
        Schedule::set_paused(&app.db, &schedule.id, true, None)
            .await
            .unwrap();
        let next = tick + chrono::Duration::minutes(1);
        assert!(
            !Schedule::claim(&app.db, &schedule.id, tick, next)
                .await
                .unwrap()
        );
    }
}
