//! The backlog cap (`tasks.backlog_cap`) without counting the queue on every submission.
//!
//! Counting an agent's queued tasks reads one index entry per queued task: at the default cap
//! of 100,000 a submission into a long queue would read tens of thousands, and even a short
//! queue costs every submission a round trip to the database. So a count is trusted, plus the
//! submissions this node admitted since, for at most [`RECOUNT`] and only while it is under
//! half the cap; near the cap every submission counts again, as exactly as before. Tasks queued
//! meanwhile by other nodes or by workflows moving on are not in the estimate, which is why it
//! is only trusted far from the cap.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use empire_schema::models::Task;
use empire_schema::{AgentId, Db, StoreError};

/// How long a count of the queue is trusted.
pub(crate) const RECOUNT: Duration = Duration::from_secs(1);

/// The queue counts of each agent, as this node last read them.
#[derive(Debug)]
pub(crate) struct Backlog {
    cap: i64,
    counts: Mutex<HashMap<AgentId, Estimate>>,
}

#[derive(Debug, Clone, Copy)]
struct Estimate {
    /// Queued when counted, plus the submissions admitted here since.
    queued: i64,
    counted_at: Instant,
}

impl Backlog {
    pub(crate) fn new(cap: i64) -> Backlog {
        Backlog {
            cap,
            counts: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn cap(&self) -> i64 {
        self.cap
    }

    /// Whether `agent`'s queue has room for one more task; when it has, that task is counted.
    pub(crate) async fn admit(&self, db: &Db, agent: AgentId) -> Result<bool, StoreError> {
        if self.admit_by_estimate(agent) {
            return Ok(true);
        }
        let counted_at = Instant::now();
        let queued = Task::count_queued(db, agent).await?;
        let room = queued < self.cap;
        let estimate = Estimate {
            queued: queued + i64::from(room),
            counted_at,
        };
        self.counts().insert(agent, estimate);
        Ok(room)
    }

    /// Admits by the last count when it is recent and far from the cap.
    fn admit_by_estimate(&self, agent: AgentId) -> bool {
        let mut counts = self.counts();
        match counts.get_mut(&agent) {
            Some(estimate)
                if estimate.counted_at.elapsed() < RECOUNT && estimate.queued < self.cap / 2 =>
            {
                estimate.queued += 1;
                true
            }
            _ => false,
        }
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<AgentId, Estimate>> {
        // The map holds plain numbers: a panic elsewhere cannot leave it inconsistent.
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use empire_schema::models::NewTask;
    use empire_schema::{DatabaseUrl, DbOptions};
    use serde_json::json;

    use super::*;

    const AGENT: AgentId = AgentId::SeoOptimizer;

    async fn store() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let url: DatabaseUrl = format!("sqlite://{}", dir.path().join("empire.db").display())
            .parse()
            .unwrap();
        empire_schema::migrate::run_pending(&url).await.unwrap();
        let options = DbOptions {
            url,
            pool_size: 2,
            connect_timeout: Duration::from_secs(10),
        };
        (dir, Db::connect(&options).await.unwrap())
    }

    async fn queue_one(db: &Db) {
        let new = NewTask {
            agent: AGENT,
            kind: "audit_page".into(),
            input: json!({}),
            priority: 0,
            max_attempts: 1,
            timeout_ms: 1_000,
            idempotency_key: None,
            workflow_id: None,
        };
        Task::create(db, new).await.unwrap();
    }

    fn estimate(backlog: &Backlog) -> i64 {
        backlog.counts()[&AGENT].queued
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn far_from_the_cap_a_recent_count_admits_without_counting_again() {
        let (_dir, db) = store().await;
        let backlog = Backlog::new(100);
        assert!(backlog.admit(&db, AGENT).await.unwrap());
        assert_eq!(estimate(&backlog), 1, "counted 0, plus the one admitted");
        for _ in 0..10 {
            queue_one(&db).await;
        }
        assert!(backlog.admit(&db, AGENT).await.unwrap());
        assert_eq!(
            estimate(&backlog),
            2,
            "admitted by the estimate, not a count"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn near_the_cap_every_submission_counts() {
        let (_dir, db) = store().await;
        let backlog = Backlog::new(4);
        for _ in 0..4 {
            assert!(backlog.admit(&db, AGENT).await.unwrap());
            queue_one(&db).await;
        }
        assert!(!backlog.admit(&db, AGENT).await.unwrap(), "4 queued, cap 4");
        assert_eq!(estimate(&backlog), 4);
        let claimed = Task::claim_next(&db, AGENT, "node-a", chrono::Duration::seconds(60), 1)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1);
        assert!(
            backlog.admit(&db, AGENT).await.unwrap(),
            "a claim made room, and the next submission counted it"
        );
    }
}
