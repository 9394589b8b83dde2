//! Submit a task and wait for its end: for routes that answer with the result when it comes
//! quickly (200) and with the task id when it does not (202).

use std::time::Duration;

use empire_schema::TaskStatus;
use empire_schema::models::{Created, Task};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Instant, timeout_at};

use super::{Event, Runtime, SubmitError, TaskRequest};

/// How often the row is read when no event feed is at hand.
const POLL: Duration = Duration::from_millis(200);

/// The task as it stood when the wait ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Waited {
    /// Succeeded, dead, failed or cancelled: the row holds the result or the error.
    Ended(Task),
    /// Still queued or running at the deadline.
    Pending(Task),
}

fn ended(status: TaskStatus) -> bool {
    matches!(
        status,
        TaskStatus::Succeeded | TaskStatus::Dead | TaskStatus::Failed | TaskStatus::Cancelled
    )
}

fn ends(event: &Event, id: &str) -> bool {
    match event {
        Event::TaskSucceeded { task_id, .. }
        | Event::TaskDead { task_id, .. }
        | Event::TaskCancelled { task_id, .. } => task_id == id,
        _ => false,
    }
}

impl Runtime {
    /// Queues `request` like [`Runtime::submit`] and waits up to `wait` for the task to end,
    /// watching the event bus (subscribed before the submit, so the end cannot slip past) and
    /// reading the row for the outcome.
    pub async fn submit_and_wait(
        &self,
        request: TaskRequest,
        wait: Duration,
    ) -> Result<Waited, SubmitError> {
        let deadline = Instant::now() + wait;
        let mut feed = self.subscribe(None).await;
        let task = match self.submit(request).await? {
            Created::New(task) | Created::Existing(task) => task,
        };
        let id = task.id.clone();
        if ended(task.status) {
            return Ok(Waited::Ended(task));
        }
        loop {
            let woke = match feed.as_mut() {
                Some(subscription) => match timeout_at(deadline, subscription.live.recv()).await {
                    Err(_elapsed) => false,
                    Ok(Ok(stamped)) => {
                        if !ends(&stamped.event, &id) {
                            continue;
                        }
                        true
                    }
                    // Missed events may hold ours: look at the row.
                    Ok(Err(RecvError::Lagged(_))) => true,
                    Ok(Err(RecvError::Closed)) => {
                        feed = None;
                        true
                    }
                },
                None => {
                    tokio::time::sleep_until(deadline.min(Instant::now() + POLL)).await;
                    true
                }
            };
            let task = Task::get(&self.db, &id).await?;
            if ended(task.status) {
                return Ok(Waited::Ended(task));
            }
            if !woke || Instant::now() >= deadline {
                return Ok(Waited::Pending(task));
            }
        }
    }
}
