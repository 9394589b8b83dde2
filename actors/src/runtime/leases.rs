//! Lease renewal for an instance's running attempts, off the actor: an attempt whose lease is
//! gone (cancelled, or reaped after a stall) is reported back as `LeaseLost`.

use empire_schema::Db;
use empire_schema::models::Task;
use ractor::ActorRef;

use super::messages::AgentMessage;
use super::wire::Wire;

/// Extends every `(task id, attempt)` in `held` by `lease_ms` from now.
pub fn renew(db: &Db, held: Vec<(String, i64)>, lease_ms: u64, instance: ActorRef<AgentMessage>) {
    if held.is_empty() {
        return;
    }
    let db = db.clone();
    let lease = chrono::Duration::milliseconds(i64::try_from(lease_ms).unwrap_or(i64::MAX / 2));
    tokio::spawn(async move {
        let until = empire_schema::clock::now() + lease;
        for (task_id, attempt) in held {
            match Task::renew_lease(&db, &task_id, attempt, until).await {
                Ok(true) => {}
                Ok(false) => {
                    let lost = Wire::new((task_id, attempt));
                    let _ = instance.cast(AgentMessage::LeaseLost(lost));
                }
                // A database outage: keep working; the lease may still hold when it is back.
                Err(error) => tracing::warn!(%error, task_id, "cannot renew a lease"),
            }
        }
    });
}
