//! The load every scenario drives over HTTP — `sleep` tasks, each under its own idempotency key,
//! resubmitted with the same key until a 2xx acknowledges it — and the probes scenarios poll
//! while faults are in (running leases, `/ready`, tasks that must succeed). `tally` counts the end.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

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

pub fn body(spec: &Spec, key: &str) -> Value {
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
