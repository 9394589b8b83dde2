//! Waiting a bounded time for a task to end, for routes that answer with the result when it is
//! quick and with the task id when it is not.
//!
//! A local helper until the runtime offers a generic `submit_and_wait`.

use std::time::Duration;

use empire_schema::models::Task;
use empire_schema::{Db, StoreResult, TaskStatus};

/// How often the task row is read while waiting.
const POLL: Duration = Duration::from_millis(50);

/// The task as last read: ended, or still queued or running when `wait` ran out.
pub async fn wait_for_task(db: &Db, id: &str, wait: Duration) -> StoreResult<Task> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let task = Task::get(db, id).await?;
        if ended(task.status) || tokio::time::Instant::now() >= deadline {
            return Ok(task);
        }
        tokio::time::sleep(POLL).await;
    }
}

pub fn ended(status: TaskStatus) -> bool {
    !matches!(status, TaskStatus::Queued | TaskStatus::Running)
}
