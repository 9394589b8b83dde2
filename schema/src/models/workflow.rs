//! `workflows`: durable multi-step runs; `state` records the steps done so far.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::models::task::{Cancellation, NewTask, Task};
use crate::page::{Page, PageRequest};
use crate::schema::{tasks, workflows};
use crate::stamp::Stamp;
use crate::types::WorkflowStatus;
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = workflows)]
pub struct Workflow {
    pub id: String,
    pub kind: String,
    pub status: WorkflowStatus,
    pub input: Json<Value>,
    pub state: Json<Value>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct NewWorkflow {
    pub kind: String,
    pub status: WorkflowStatus,
    pub input: Value,
    pub state: Value,
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = workflows)]
pub struct WorkflowChanges {
    pub status: Option<WorkflowStatus>,
    pub state: Option<Json<Value>>,
}

impl Workflow {
    pub(crate) fn from_new(new: NewWorkflow) -> Workflow {
        let at = now();
        Workflow {
            id: new_id(),
            kind: new.kind,
            status: new.status,
            input: Json(new.input),
            state: Json(new.state),
            created_at: at,
            updated_at: at,
        }
    }

    pub async fn create(db: &Db, new: NewWorkflow) -> StoreResult<Workflow> {
        let workflow = Workflow::from_new(new);
        with_conn!(db, |conn| {
            diesel::insert_into(workflows::table)
                .values(&workflow)
                .execute(conn)
                .await?;
        });
        Ok(workflow)
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<Workflow> {
        with_conn!(db, |conn| Ok(workflows::table
            .find(id)
            .select(Workflow::as_select())
            .first(conn)
            .await?))
    }

    pub async fn list(db: &Db, page: &PageRequest) -> StoreResult<Page<Workflow>> {
        let cursor = page.cursor().map(str::to_owned);
        let fetch = page.fetch();
        let rows: Vec<Workflow> = crate::load_rows!(db, {
            let mut query = workflows::table.select(Workflow::as_select()).into_boxed();
            if let Some(cursor) = cursor {
                query = query.filter(workflows::id.lt(cursor));
            }
            query.order(workflows::id.desc()).limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |workflow| &workflow.id))
    }

    pub async fn update(db: &Db, id: &str, changes: &WorkflowChanges) -> StoreResult<Workflow> {
        let updated = with_conn!(db, |conn| diesel::update(workflows::table.find(id))
            .set((changes, workflows::updated_at.eq(now())))
            .execute(conn)
            .await?);
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Workflow::get(db, id).await
    }

    /// Inserts a workflow and its first task, queued under it, in one transaction.
    pub async fn create_with_first_task(
        db: &Db,
        new: NewWorkflow,
        first: NewTask,
    ) -> StoreResult<(Workflow, Task)> {
        let workflow = Workflow::from_new(new);
        let task = Task::queued(NewTask {
            workflow_id: Some(workflow.id.clone()),
            ..first
        });
        transaction!(db, |conn| {
            diesel::insert_into(workflows::table)
                .values(&workflow)
                .execute(conn)
                .await?;
            diesel::insert_into(tasks::table)
                .values(&task)
                .execute(conn)
                .await?;
            Ok(())
        })?;
        Ok((workflow, task))
    }

    /// Marks a workflow `cancelled` and cancels its queued and running tasks, in one
    /// transaction; returns it with the tasks it cancelled. `Conflict` when it already ended.
    pub async fn cancel(db: &Db, id: &str) -> StoreResult<(Workflow, Vec<Task>)> {
        let at = now();
        transaction!(db, |conn| {
            // The workflow row first: `Task::succeed` locks it before its task, and waits here
            // until this commits, so it cannot queue a next step this misses.
            let workflow = diesel::update(
                workflows::table
                    .find(id)
                    .filter(workflows::status.ne_all(WorkflowStatus::ENDED)),
            )
            .set((
                workflows::status.eq(WorkflowStatus::Cancelled),
                workflows::updated_at.eq(at),
            ))
            .returning(Workflow::as_returning())
            .get_result(conn)
            .await
            .optional()?;
            let Some(workflow) = workflow else {
                let status: WorkflowStatus = workflows::table
                    .find(id)
                    .select(workflows::status)
                    .first(conn)
                    .await?;
                return Err(StoreError::Conflict(format!(
                    "workflow is already {status}"
                )));
            };
            let mut cancelled: Vec<Task> = diesel::update(
                tasks::table
                    .filter(tasks::workflow_id.eq(id))
                    .filter(tasks::status.eq_any(Cancellation::FROM)),
            )
            .set(Cancellation::now())
            .returning(Task::as_returning())
            .get_results(conn)
            .await?;
            cancelled.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
            Ok((workflow, cancelled))
        })
    }
}
