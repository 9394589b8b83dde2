//! Crash safety with the real binary, on every backend: `kill -9` mid-run loses no acknowledged
//! task or workflow; after a restart everything ends succeeded, each step enqueued once.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::process::{KillOnDrop, empire, signal, start_serve, stop, wait_within};
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, TestDatabase, backends};

const TASKS: usize = 200;
const WORKFLOWS: usize = 10;

pub fn node(dir: &Path, database_url: &str) -> Command {
    let mut command = empire(dir);
    command
        .env("EMPIRE_DATABASE_URL", database_url)
        .env("EMPIRE_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("EMPIRE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("EMPIRE_JWT_SECRET", JWT_SECRET)
        .env("EMPIRE_LOG", "info,empire::access=warn")
        .args(["--config", "crash.toml"]);
    command
}

pub async fn get_json(client: &Client, url: &str, bearer: &str) -> Value {
    let response = client.get(url).bearer_auth(bearer).send().await.unwrap();
    response.json().await.unwrap()
}

pub async fn token(client: &Client, base: &str) -> String {
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().unwrap().to_owned()
}

fn keywords(seed: usize) -> Value {
    let items: Vec<Value> = (0..50)
        .map(|i| json!({"keyword": format!("kw {seed} {i}"), "monthly_volume": 100 + i, "cpc_eur": 0.5, "difficulty": i % 100}))
        .collect();
    json!({"kind": "score_keywords", "input": {"keywords": items}})
}

async fn count(client: &Client, base: &str, token: &str, status: &str) -> Option<usize> {
    let page: Value = client
        .get(format!("{base}/api/v1/tasks?status={status}&limit=200"))
        .bearer_auth(token)
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    Some(page["items"].as_array()?.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_run_loses_no_task_and_no_workflow_step() {
    for backend in backends() {
        let database = TestDatabase::create(backend).await;
        kill_mid_run(&database.url).await;
    }
}

async fn kill_mid_run(database_url: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crash.toml"),
        "[agents]\nopportunity_scanner = 1\n\n[tasks]\nmax_in_flight = 2\nlease_ms = 2000\nrenew_ms = 500\nreap_ms = 200\npoll_ms = 100\n\n[rate_limit]\napi = { burst = 10000, per_minute = 600000 }\n",
    )
    .unwrap();
    let client = Client::new();

    let (first, port) = start_serve(node(dir.path(), database_url));
    let first = KillOnDrop(Some(first));
    let base = format!("http://127.0.0.1:{port}");
    let bearer = token(&client, &base).await;
    let mut workflows = Vec::new();
    for _ in 0..WORKFLOWS {
        let body =
            json!({"kind": "page_pipeline", "input": crate::runtime::workflows::pipeline_input()});
        let started: Value = client
            .post(format!("{base}/api/v1/workflows"))
            .bearer_auth(&bearer)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        workflows.push(started["id"].as_str().unwrap().to_owned());
    }

    // Submit in the background; kill the node a third of the way through the submissions, once
    // work is being done (so the kill lands mid-run however fast this machine runs the tasks).
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let submitter = tokio::spawn({
        let (client, base, bearer, acknowledged) = (
            client.clone(),
            base.clone(),
            bearer.clone(),
            acknowledged.clone(),
        );
        async move {
            for i in 0..TASKS {
                let sent = client
                    .post(format!("{base}/api/v1/agents/opportunity_scanner/tasks"))
                    .bearer_auth(&bearer)
                    .json(&keywords(i))
                    .send()
                    .await;
                let Ok(response) = sent else { return };
                if response.status() == 202 {
                    let task: Value = response.json().await.unwrap();
                    acknowledged
                        .lock()
                        .unwrap()
                        .push(task["id"].as_str().unwrap().to_owned());
                }
            }
        }
    });
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < TASKS / 3
        || count(&client, &base, &bearer, "succeeded")
            .await
            .unwrap_or(0)
            == 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the node made no progress"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut first = first.take();
    signal(&first, "-KILL");
    wait_within(&mut first, Duration::from_secs(5));
    let _ = submitter.await;
    let before_restart = acknowledged.lock().unwrap().len();

    let (second, port) = start_serve(node(dir.path(), database_url));
    let second = KillOnDrop(Some(second));
    let base = format!("http://127.0.0.1:{port}");
    let bearer = token(&client, &base).await;
    for i in before_restart..TASKS {
        let response = client
            .post(format!("{base}/api/v1/agents/opportunity_scanner/tasks"))
            .bearer_auth(&bearer)
            .json(&keywords(i))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
        let task: Value = response.json().await.unwrap();
        acknowledged
            .lock()
            .unwrap()
            .push(task["id"].as_str().unwrap().to_owned());
    }

    let started = Instant::now();
    loop {
        let queued = count(&client, &base, &bearer, "queued").await.unwrap();
        let running = count(&client, &base, &bearer, "running").await.unwrap();
        if queued + running == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{queued} queued, {running} running after a minute"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let ids = acknowledged.lock().unwrap().clone();
    assert!(before_restart < TASKS, "the kill landed mid-run");
    for id in &ids {
        let task = get_json(&client, &format!("{base}/api/v1/tasks/{id}"), &bearer).await;
        assert_eq!(task["status"], "succeeded", "{task}");
        assert_eq!(
            task["result"]["keywords"].as_array().map(Vec::len),
            Some(50),
            "{task}"
        );
    }
    for id in &workflows {
        let workflow = get_json(&client, &format!("{base}/api/v1/workflows/{id}"), &bearer).await;
        assert_eq!(workflow["status"], "succeeded", "{workflow}");
        let steps = workflow["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 4);
        assert!(
            steps.iter().all(|step| step["status"] == "succeeded"),
            "{workflow}"
        );
    }
    stop(second.take());
}
