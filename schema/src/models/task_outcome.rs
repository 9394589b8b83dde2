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
use crate::models::task::{NewTask, Task, TaskStatus};
use crate::models::task_queue::{QUEUED, RUNNING};
use crate::models::workflow::WorkflowAdvance;
use crate::schema::{tasks, workflows};
use crate::{transaction, with_conn};

/// What cancelling a queued or running task writes; `attempts` stays, so the fence holds.
#[derive(AsChangeset)]
#[diesel(table_name = tasks, treat_none_as_null = true)]
pub(crate) struct Cancellation {
    status: &'static str,
    finished_at: NaiveDateTime,
    lease_expires_at: Option<NaiveDateTime>,
}

impl Cancellation {
    pub(crate) fn now() -> Self {
        Cancellation {
            status: TaskStatus::Cancelled.as_str(),
            finished_at: now(),
            lease_expires_at: None,
        }
    }

    /// The statuses a cancellation applies to.
    pub(crate) const FROM: [&'static str; 2] = [QUEUED, RUNNING];
}

// Every write about a running attempt names that attempt and requires `status = running`, so a
// worker whose lease expired, or whose task was cancelled, cannot overwrite what came after.
impl Task {
    /// Stores the outcome of attempt `attempt`; false when that attempt no longer holds the lease.
    /// `lease_owner` stays, recording which node ran the task.
    pub async fn finish(
        db: &Db,
        id: &str,
        attempt: i64,
        status: TaskStatus,
        result: Option<Value>,
        error: Option<String>,
    ) -> StoreResult<bool> {
        let at = now();
        let updated = with_conn!(db, |conn| diesel::update(
            tasks::table
                .find(id)
                .filter(tasks::attempts.eq(attempt))
                .filter(tasks::status.eq(RUNNING))
        )
        .set((
            tasks::status.eq(status.as_str()),
            tasks::result.eq(result.map(Json)),
            tasks::error.eq(error),
            tasks::finished_at.eq(at),
            tasks::lease_expires_at.eq(None::<NaiveDateTime>),
        ))
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

    /// Stores the result of running attempt `attempt` and, in the same transaction, moves its
    /// workflow on: new status and state, and the next task if any. False, with nothing
    /// written, when the fence refused; `NotFound` when the workflow does not exist.
    /// `ran_on` (the node whose instance ran the attempt) is kept in `lease_owner`.
    pub async fn succeed(
        db: &Db,
        id: &str,
        attempt: i64,
        ran_on: &str,
        result: Value,
        advance: Option<WorkflowAdvance>,
    ) -> StoreResult<bool> {
        let at = now();
        let result = Json(result);
        let next = advance.as_ref().and_then(|advance| {
            let next = advance.next.clone()?;
            Some(Task::queued(NewTask {
                workflow_id: Some(advance.workflow_id.clone()),
                ..next
            }))
        });
        let outcome = transaction!(db, |conn| {
            // The workflow row is locked before the task row, in the order `Workflow::cancel`
            // takes them, so the two cannot deadlock on PostgreSQL.
            if let Some(advance) = &advance {
                let locked = diesel::update(workflows::table.find(&advance.workflow_id))
                    .set(workflows::updated_at.eq(at))
                    .execute(conn)
                    .await?;
                if locked == 0 {
                    return Err(StoreError::NotFound);
                }
            }
            let updated = diesel::update(
                tasks::table
                    .find(id)
                    .filter(tasks::attempts.eq(attempt))
                    .filter(tasks::status.eq(RUNNING)),
            )
            .set((
                tasks::status.eq(TaskStatus::Succeeded.as_str()),
                tasks::lease_owner.eq(ran_on),
                tasks::result.eq(Some(&result)),
                tasks::error.eq(None::<String>),
                tasks::finished_at.eq(at),
                tasks::lease_expires_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)
            .await?;
            if updated == 0 {
                return Err(DieselError::RollbackTransaction.into());
            }
            if let Some(advance) = &advance {
                diesel::update(workflows::table.find(&advance.workflow_id))
                    .set((
                        workflows::status.eq(&advance.status),
                        workflows::state.eq(Json(&advance.state)),
                    ))
                    .execute(conn)
                    .await?;
            }
            if let Some(next) = &next {
                diesel::insert_into(tasks::table)
                    .values(next)
                    .execute(conn)
                    .await?;
            }
            Ok(true)
        });
        match outcome {
            Err(StoreError::Database(DieselError::RollbackTransaction)) => Ok(false),
            other => other,
        }
    }
}
