//! The checker: once the load stops and every acknowledged task has settled, counts what became
//! of them (Jepsen's total-queue rule: every acknowledged task must come out, once), and the
//! figures line each scenario prints and asserts on.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::Client;
use serde_json::Value;

use crate::load::{Record, Spec, body};

/// What became of the acknowledged tasks.
#[derive(Debug, Default)]
pub struct Tally {
    pub accepted: usize,
    /// Acknowledged and succeeded.
    pub done: usize,
    /// Acknowledged, and missing or not succeeded once everything settled.
    pub lost: usize,
    /// Extra task rows for one key, and resubmits of an acknowledged key that did not get the
    /// original task back: the one thing an idempotency key promises never to do.
    pub duplicated: usize,
    /// Acknowledged tasks that ran more than once (leases retaken): allowed, at-least-once.
    pub reruns: usize,
    /// Tasks stored for a key the client never saw acknowledged (its answer was lost).
    pub unacknowledged_stored: usize,
    /// From the end of the load until every acknowledged task had settled.
    pub drain: Duration,
    /// A few lost tasks, for the failure message.
    pub lost_examples: Vec<String>,
}

/// One page after another of `GET /api/v1/tasks`: every task the node knows.
async fn all_tasks(client: &Client, base: &str, token: &str) -> reqwest::Result<Vec<Value>> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/tasks?limit=200");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let page: Value = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        all.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return Ok(all),
        }
    }
}

const SETTLED: [&str; 3] = ["succeeded", "dead", "cancelled"];

/// Waits (up to `within`) until every acknowledged task has settled, then counts, asking the
/// node at `base`; finally resubmits every acknowledged key, which must answer the same task.
pub async fn settle(
    client: &Client,
    base: &str,
    token: &str,
    record: &Record,
    prefix: &str,
    spec: &Spec,
    within: Duration,
) -> Tally {
    let started = Instant::now();
    let ours = |task: &Value| {
        task["idempotency_key"]
            .as_str()
            .is_some_and(|key| key.starts_with(&format!("{prefix}-")))
    };
    let tasks: Vec<Value> = loop {
        match all_tasks(client, base, token).await {
            Ok(all) => {
                let tasks: Vec<Value> = all.into_iter().filter(ours).collect();
                let by_id: BTreeMap<&str, &str> = tasks
                    .iter()
                    .map(|t| (t["id"].as_str().unwrap(), t["status"].as_str().unwrap()))
                    .collect();
                let settled = record.accepted.values().all(|id| {
                    by_id
                        .get(id.as_str())
                        .is_some_and(|status| SETTLED.contains(status))
                });
                if settled || started.elapsed() > within {
                    break tasks;
                }
            }
            Err(error) if started.elapsed() > within => panic!("cannot list tasks: {error}"),
            Err(_) => {}
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let mut tally = Tally {
        accepted: record.accepted.len(),
        drain: started.elapsed(),
        ..Tally::default()
    };
    let mut by_key: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for task in &tasks {
        by_key
            .entry(task["idempotency_key"].as_str().unwrap())
            .or_default()
            .push(task);
    }
    for (key, rows) in &by_key {
        tally.duplicated += rows.len() - 1;
        if !record.accepted.contains_key(*key) {
            tally.unacknowledged_stored += 1;
        }
    }
    for (key, id) in &record.accepted {
        let task = by_key
            .get(key.as_str())
            .and_then(|rows| rows.iter().find(|task| task["id"] == id.as_str()));
        match task {
            Some(task) if task["status"] == "succeeded" => {
                tally.done += 1;
                if task["attempts"].as_i64().unwrap_or(0) > 1 {
                    tally.reruns += 1;
                }
            }
            other => {
                tally.lost += 1;
                if tally.lost_examples.len() < 5 {
                    let seen = other.map_or("no such task".to_owned(), |task| {
                        format!(
                            "{} after {} attempts: {}",
                            task["status"], task["attempts"], task["error"]
                        )
                    });
                    tally.lost_examples.push(format!("{key} ({id}): {seen}"));
                }
            }
        }
    }
    tally.duplicated += resubmit_all(client, base, token, record, spec).await;
    tally
}

/// Resubmits every acknowledged key; counts those that did not get their task back (`200`
/// with the same id).
async fn resubmit_all(
    client: &Client,
    base: &str,
    token: &str,
    record: &Record,
    spec: &Spec,
) -> usize {
    let url = format!("{base}/api/v1/agents/{}/tasks", spec.agent);
    futures::stream::iter(&record.accepted)
        .map(|(key, id)| {
            let (url, body) = (&url, body(spec, key));
            async move {
                let response = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                let task: Value = response.json().await.unwrap_or_default();
                usize::from(status != 200 || task["id"] != id.as_str())
            }
        })
        .buffer_unordered(8)
        .fold(0, |sum, one| async move { sum + one })
        .await
}

/// One scenario's (or phase's) figures: printed, kept for the summary, then checked.
pub struct Figures {
    pub name: String,
    pub tally: Tally,
    pub refused: usize,
    /// What "recovered" means here, e.g. "killed node's leases retaken".
    pub recovery: &'static str,
    pub recover: Vec<Duration>,
    pub bound: Duration,
    /// Anything else worth printing.
    pub note: String,
}

fn seconds(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64())
}

impl Figures {
    pub fn line(&self) -> String {
        let t = &self.tally;
        let worst = self.recover.iter().max().copied().unwrap_or_default();
        let each: Vec<String> = self.recover.iter().map(|d| seconds(*d)).collect();
        format!(
            "{}: accepted={} done={} lost={} duplicated={} reruns={} refused={} unacked_stored={} \
             recover_s={} [{}] (bound {} s: {}) drain_s={}{}",
            self.name,
            t.accepted,
            t.done,
            t.lost,
            t.duplicated,
            t.reruns,
            self.refused,
            t.unacknowledged_stored,
            seconds(worst),
            each.join(" "),
            seconds(self.bound),
            self.recovery,
            seconds(t.drain),
            if self.note.is_empty() {
                String::new()
            } else {
                format!(" | {}", self.note)
            },
        )
    }

    /// Prints the figures line, keeps it for the summary, then asserts on it.
    pub fn report(self) {
        let line = self.line();
        println!("chaos figures {line}");
        crate::FIGURES.lock().unwrap().push(line.clone());
        let t = &self.tally;
        assert!(t.accepted > 0, "no task was accepted: {line}");
        assert_eq!(t.lost, 0, "tasks lost: {:?} — {line}", t.lost_examples);
        assert_eq!(t.duplicated, 0, "duplicated tasks — {line}");
        assert_eq!(t.done, t.accepted, "{line}");
        assert!(!self.recover.is_empty(), "no recovery was measured: {line}");
        for took in &self.recover {
            assert!(
                *took <= self.bound,
                "recovery took {took:?}, over the {:?} bound — {line}",
                self.bound
            );
        }
    }
}
