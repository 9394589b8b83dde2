//! The load every scenario drives over HTTP — `sleep` tasks, each under its own idempotency key,
//! resubmitted with the same key until a 2xx acknowledges it — and the checker that counts what
//! became of them (Jepsen's total-queue rule: every acknowledged task must come out, once).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::Client;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

/// Attempts a task may take: a task whose node is killed, or whose result cannot be stored
/// during an outage, is run again; a task that still dies is reported lost.
const MAX_ATTEMPTS: i64 = 10;

/// The nodes the load goes to (`http://127.0.0.1:PORT`); `None` while a node is down.
#[derive(Clone)]
pub struct Targets(Arc<RwLock<Vec<Option<String>>>>);

impl Targets {
    pub fn new(bases: Vec<String>) -> Targets {
        Targets(Arc::new(RwLock::new(bases.into_iter().map(Some).collect())))
    }

    pub fn set(&self, index: usize, base: Option<String>) {
        self.0.write().unwrap()[index] = base;
    }

    /// The `turn`-th node that is up, round robin.
    pub fn pick(&self, turn: usize) -> Option<String> {
        let up: Vec<String> = self.0.read().unwrap().iter().flatten().cloned().collect();
        (!up.is_empty()).then(|| up[turn % up.len()].clone())
    }
}

/// What the load submits, and how fast.
#[derive(Clone)]
pub struct Spec {
    pub agent: &'static str,
    pub sleep_ms: u64,
    /// Clients submitting at once, each one request at a time.
    pub workers: usize,
    /// Each client's pause after an acknowledged task.
    pub pause: Duration,
}

/// One submit request: when it was sent, how long it took, and its status (`None`: no answer).
#[derive(Debug, Clone)]
pub struct Answer {
    pub at: Instant,
    pub latency: Duration,
    pub status: Option<u16>,
}

/// Everything the load saw.
#[derive(Default)]
pub struct Record {
    /// Client key → the task id a 2xx answer named.
    pub accepted: BTreeMap<String, String>,
    pub answers: Vec<Answer>,
    /// Keys still unacknowledged when the load stopped.
    pub abandoned: usize,
}

impl Record {
    /// Answers that were not a 2xx: refusals, errors, timeouts.
    pub fn refused(&self) -> usize {
        self.answers
            .iter()
            .filter(|answer| {
                !answer
                    .status
                    .is_some_and(|status| (200..300).contains(&status))
            })
            .count()
    }
}

pub struct Load {
    stop: Arc<AtomicBool>,
    record: Arc<Mutex<Record>>,
    workers: Vec<JoinHandle<()>>,
}

fn body(spec: &Spec, key: &str) -> Value {
    json!({
        "kind": "sleep",
        "input": {"ms": spec.sleep_ms},
        "idempotency_key": key,
        "max_attempts": MAX_ATTEMPTS,
    })
}

impl Load {
    /// Starts `spec.workers` clients submitting to `targets` until [`Load::stop`].
    pub fn start(
        client: &Client,
        targets: &Targets,
        token: &str,
        prefix: &str,
        spec: Spec,
    ) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let record = Arc::new(Mutex::new(Record::default()));
        let next = Arc::new(AtomicUsize::new(0));
        let workers = (0..spec.workers)
            .map(|worker| {
                let (client, targets, token, prefix, spec) = (
                    client.clone(),
                    targets.clone(),
                    token.to_owned(),
                    prefix.to_owned(),
                    spec.clone(),
                );
                let (stop, record, next) = (stop.clone(), record.clone(), next.clone());
                tokio::spawn(async move {
                    let mut turn = worker;
                    while !stop.load(Ordering::SeqCst) {
                        let key = format!("{prefix}-{}", next.fetch_add(1, Ordering::SeqCst));
                        let body = body(&spec, &key);
                        loop {
                            if stop.load(Ordering::SeqCst) {
                                record.lock().unwrap().abandoned += 1;
                                return;
                            }
                            let Some(base) = targets.pick(turn) else {
                                tokio::time::sleep(Duration::from_millis(50)).await;
                                continue;
                            };
                            turn += 1;
                            let at = Instant::now();
                            let url = format!("{base}/api/v1/agents/{}/tasks", spec.agent);
                            let sent = client
                                .post(url)
                                .bearer_auth(&token)
                                .json(&body)
                                .send()
                                .await;
                            let status = sent.as_ref().ok().map(|r| r.status().as_u16());
                            let id = match sent {
                                Ok(response) if response.status().is_success() => response
                                    .json::<Value>()
                                    .await
                                    .ok()
                                    .and_then(|task| task["id"].as_str().map(str::to_owned)),
                                _ => None,
                            };
                            let acknowledged = {
                                let mut record = record.lock().unwrap();
                                record.answers.push(Answer {
                                    at,
                                    latency: at.elapsed(),
                                    status,
                                });
                                id.map(|id| record.accepted.insert(key.clone(), id))
                                    .is_some()
                            };
                            if acknowledged {
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        tokio::time::sleep(spec.pause).await;
                    }
                })
            })
            .collect();
        Load {
            stop,
            record,
            workers,
        }
    }

    pub fn accepted(&self) -> usize {
        self.record.lock().unwrap().accepted.len()
    }

    /// The ids of the tasks acknowledged so far.
    pub fn accepted_ids(&self) -> Vec<String> {
        self.record
            .lock()
            .unwrap()
            .accepted
            .values()
            .cloned()
            .collect()
    }

    /// The answers to requests that were in flight at some time from `from` to `to`.
    pub fn answers_between(&self, from: Instant, to: Instant) -> Vec<Answer> {
        let record = self.record.lock().unwrap();
        record
            .answers
            .iter()
            .filter(|answer| answer.at < to && answer.at + answer.latency > from)
            .cloned()
            .collect()
    }

    /// Stops the clients (each finishes its request in flight) and returns what they saw.
    pub async fn stop(self) -> Record {
        self.stop.store(true, Ordering::SeqCst);
        for worker in self.workers {
            worker.await.unwrap();
        }
        Arc::into_inner(self.record).unwrap().into_inner().unwrap()
    }
}

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

/// Ids of the running tasks whose lease `owner` holds, asked on the node at `base`.
pub async fn running_on(client: &Client, base: &str, token: &str, owner: &str) -> Vec<String> {
    let page: Value = client
        .get(format!("{base}/api/v1/tasks?status=running&limit=200"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|task| task["lease_owner"] == owner)
        .map(|task| task["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Waits until every task in `ids` has succeeded (asked on the node at `base`); returns how
/// long from `since`, or panics after `limit`.
pub async fn all_succeeded(
    client: &Client,
    base: &str,
    token: &str,
    ids: &[String],
    since: Instant,
    limit: Duration,
) -> Duration {
    let mut pending: Vec<&String> = ids.iter().collect();
    while !pending.is_empty() {
        let mut still = Vec::new();
        for id in pending {
            let task: Value = match client
                .get(format!("{base}/api/v1/tasks/{id}"))
                .bearer_auth(token)
                .send()
                .await
            {
                Ok(response) => response.json().await.unwrap_or_default(),
                Err(_) => Value::Null,
            };
            if task["status"] != "succeeded" {
                still.push(id);
            }
        }
        pending = still;
        if !pending.is_empty() {
            assert!(
                since.elapsed() < limit,
                "{} of {} tasks not succeeded within {limit:?}: {pending:?}",
                pending.len(),
                ids.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    since.elapsed()
}

/// Polls `GET /ready` every 100 ms until it answers `status`; returns the time since `since`,
/// or panics after `limit`.
pub async fn ready_turns(
    client: &Client,
    base: &str,
    status: u16,
    since: Instant,
    limit: Duration,
) -> Duration {
    loop {
        let answered = client
            .get(format!("{base}/ready"))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .map(|response| response.status().as_u16());
        if answered.as_ref().is_ok_and(|got| *got == status) {
            return since.elapsed();
        }
        assert!(
            since.elapsed() < limit,
            "/ready did not answer {status} within {limit:?} (last: {answered:?})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The answers by status (`none`: no answer), e.g. "202×40 503×12", and the slowest one.
pub fn summary(answers: &[Answer]) -> (String, Duration) {
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    for answer in answers {
        let status = answer
            .status
            .map_or("none".to_owned(), |status| status.to_string());
        *by_status.entry(status).or_default() += 1;
    }
    let text: Vec<String> = by_status
        .iter()
        .map(|(status, count)| format!("{status}x{count}"))
        .collect();
    let slowest = answers.iter().map(|a| a.latency).max().unwrap_or_default();
    (text.join(" "), slowest)
}
