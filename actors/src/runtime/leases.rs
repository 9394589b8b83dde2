//! Lease renewal for an instance's running attempts, off the actor: an attempt whose lease is
//! gone (cancelled, or reaped after a stall) is reported back as `LeaseLost`.

use empire_schema::Db;
use empire_schema::models::Task;
use ractor::ActorRef;

use crate::plumbing::messages::{AgentMessage, TaskAttempt};
use crate::plumbing::wire::Wire;

/// Extends every attempt in `held` by `lease_ms` from now.
pub(crate) fn renew(
    db: &Db,
    held: Vec<TaskAttempt>,
    lease_ms: u64,
    instance: ActorRef<AgentMessage>,
) {
    if held.is_empty() {
        return;
    }
    let db = db.clone();
    let lease = chrono::Duration::milliseconds(i64::try_from(lease_ms).unwrap_or(i64::MAX / 2));
    tokio::spawn(async move {
        for held in held {
            match Task::renew_lease(&db, &held.task_id, held.attempt, lease).await {
                Ok(true) => {}
                Ok(false) => {
                    let _ = instance.cast(AgentMessage::LeaseLost(Wire::new(held)));
                }
                // A database outage: keep working; the lease may still hold when it is back.
                Err(error) => {
                    tracing::warn!(%error, task_id = held.task_id, "cannot renew a lease")
                }
            }
        }
    });
}
