//! How attempts and tasks end: results, success with the workflow's next step, cancellation.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel_async::RunQueryDsl;
use serde_json::Value;

use crate::clock::now;
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::models::task::{Cancellation, NewTask, Task};
use crate::models::task_queue::running_attempt;
use crate::prepared::keep_prepared;
use crate::schema::{tasks, workflows};
use crate::types::{TaskStatus, WorkflowStatus};
use crate::{transaction, with_conn};

/// How a workflow moves on when one of its tasks succeeds (see `Task::succeed`).
#[derive(Debug, Clone)]
pub struct WorkflowAdvance {
    pub workflow_id: String,
    pub status: WorkflowStatus,
    pub state: Value,
    /// The next step, queued under this workflow whatever its `workflow_id` says.
    pub next: Option<NewTask>,
}

/// What `Task::succeed` did.
#[derive(Debug, Clone, PartialEq)]
pub enum Succeeded {
    /// The result is stored; `next` is the workflow's next step, queued with it.
    Stored { next: Option<Box<Task>> },
    /// Nothing was written: that attempt no longer holds the lease.
    Fenced,
}

impl Succeeded {
    pub fn is_stored(&self) -> bool {
        matches!(self, Succeeded::Stored { .. })
    }
}

/// The update that stores a successful attempt's result, refused by the fence unless that
/// attempt still runs.
macro_rules! stored_success {
    ($id:expr, $fence:expr, $ran_on:expr, $result:expr, $at:expr) => {
        keep_prepared(diesel::update(running_attempt($id, $fence)).set((
            tasks::status.eq(TaskStatus::Succeeded),
            tasks::lease_owner.eq($ran_on),
            tasks::result.eq(Some($result)),
            tasks::error.eq(None::<String>),
            tasks::finished_at.eq($at),
            tasks::lease_expires_at.eq(None::<NaiveDateTime>),
        )))
    };
}

// Every write about a running attempt names that attempt's fence and requires `status = running`, so a
// worker whose lease expired, or whose task was cancelled, cannot overwrite what came after.
impl Task {
    /// Stores the outcome of the attempt fenced `fence`; false when it no longer holds the lease.
    /// `lease_owner` stays, recording which node ran the task.
    pub async fn finish(
        db: &Db,
        id: &str,
        fence: i64,
        status: TaskStatus,
        result: Option<Value>,
        error: Option<String>,
    ) -> StoreResult<bool> {
        let at = now();
        let updated = with_conn!(db, |conn| keep_prepared(
            diesel::update(running_attempt(id, fence)).set((
                tasks::status.eq(status),
                tasks::result.eq(result.map(Json)),
                tasks::error.eq(error),
                tasks::finished_at.eq(at),
                tasks::lease_expires_at.eq(None::<NaiveDateTime>),
            ))
        )
        .execute(conn)
        .await?);
        Ok(updated == 1)
    }

    /// Cancels a queued or running task. A running attempt's later writes then fail the fence.
    /// `Conflict` when the task already ended, `NotFound` when there is no such task.
    pub async fn cancel(db: &Db, id: &str) -> StoreResult<Task> {
        let cancelled = with_conn!(db, |conn| diesel::update(
            tasks::table
                .find(id)
                .filter(tasks::status.eq_any(Cancellation::FROM))
        )
        .set(Cancellation::now())
        .returning(Task::as_returning())
        .get_result(conn)
        .await
        .optional()?);
        match cancelled {
            Some(task) => Ok(task),
            // Ended statuses are final, so the status read here is the one that refused.
            None => Err(StoreError::Conflict(format!(
                "task is already {}",
                Task::get(db, id).await?.status
            ))),
        }
    }

    /// Stores the result of the running attempt fenced `fence` and, in the same transaction, moves its
    /// workflow on (when `advance` names one): new status and state, and the next task if any. `Fenced`, with nothing
    /// written, when the fence refused; `NotFound` when the workflow does not exist.
    /// `ran_on` (the node whose instance ran the attempt) is kept in `lease_owner`.
    pub async fn succeed(
        db: &Db,
        id: &str,
        fence: i64,
        ran_on: &str,
        result: Value,
        advance: Option<WorkflowAdvance>,
    ) -> StoreResult<Succeeded> {
        let at = now();
        let result = Json(result);
        let Some(advance) = advance else {
            // No workflow to move on: one statement, no transaction.
            let updated = with_conn!(db, |conn| stored_success!(id, fence, ran_on, &result, at)
                .execute(conn)
                .await?);
            return Ok(match updated {
                0 => Succeeded::Fenced,
                _ => Succeeded::Stored { next: None },
            });
        };
        let next = advance.next.clone().map(|next| {
            Box::new(Task::queued(NewTask {
                workflow_id: Some(advance.workflow_id.clone()),
                ..next
            }))
        });
        let outcome = transaction!(db, |conn| {
            // The workflow row is locked before the task row, in the order `Workflow::cancel`
            // takes them, so the two cannot deadlock on PostgreSQL.
            let locked = diesel::update(workflows::table.find(&advance.workflow_id))
                .set(workflows::updated_at.eq(at))
                .execute(conn)
                .await?;
            if locked == 0 {
                return Err(StoreError::NotFound);
            }
            let updated = stored_success!(id, fence, ran_on, &result, at)
                .execute(conn)
                .await?;
            if updated == 0 {
                return Err(DieselError::RollbackTransaction.into());
            }
            diesel::update(workflows::table.find(&advance.workflow_id))
                .set((
                    workflows::status.eq(advance.status),
                    workflows::state.eq(Json(&advance.state)),
                ))
                .execute(conn)
                .await?;
            if let Some(next) = &next {
                diesel::insert_into(tasks::table)
                    .values(next.as_ref())
                    .execute(conn)
                    .await?;
            }
            Ok(())
        });
        match outcome {
            Ok(()) => Ok(Succeeded::Stored { next }),
            Err(StoreError::Database(DieselError::RollbackTransaction)) => Ok(Succeeded::Fenced),
            Err(error) => Err(error),
        }
    }
}
