//! `schedules`: work asked for on a cron clock. Each node's schedule loop reads the due rows and
//! claims a tick by moving `next_run_at` past it with a conditional update: only the node whose
//! update changed the row fires that tick.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::clock::now;
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::page::{Page, PageRequest};
use crate::schema::schedules;
use crate::stamp::{MaybeStamp, Stamp};
use crate::types::AgentId;
use crate::with_conn;

crate::text_enum! {
    /// What a tick does while the previous tick's task or workflow is still queued or running.
    pub enum Overlap("overlap policy") {
        /// Fire nothing this tick.
        Skip = "skip",
        /// Fire anyway; the runs queue up.
        Queue = "queue",
        /// Cancel the running one, then fire.
        Cancel = "cancel",
    }
}

crate::text_enum! {
    /// What a schedule starts: an agent's task or a workflow.
    pub enum ScheduleTarget("schedule target") {
        Task = "task",
        Workflow = "workflow",
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = schedules)]
pub struct Schedule {
    pub id: String,
    pub name: String,
    /// 5 fields, or 6 with seconds first.
    pub cron: String,
    /// An IANA time zone the cron fields are read in.
    pub timezone: String,
    pub target: ScheduleTarget,
    /// The task's agent; `None` for a workflow.
    pub agent: Option<AgentId>,
    /// The task kind or workflow kind.
    pub kind: String,
    pub input: Json<serde_json::Value>,
    pub overlap: Overlap,
    /// How late a missed tick may still fire (once), in seconds.
    pub catch_up_s: i64,
    pub paused: bool,
    /// The next tick (UTC); `None` while paused before its first resume.
    #[diesel(deserialize_as = MaybeStamp)]
    pub next_run_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeStamp)]
    pub last_run_at: Option<NaiveDateTime>,
    pub last_task_id: Option<String>,
    pub last_workflow_id: Option<String>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

impl Schedule {
    pub async fn create(db: &Db, row: &Schedule) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::insert_into(schedules::table)
                .values(row)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<Schedule> {
        with_conn!(db, |conn| Ok(schedules::table
            .find(id)
            .select(Schedule::as_select())
            .first(conn)
            .await?))
    }

    /// Newest first.
    pub async fn list(db: &Db, page: &PageRequest) -> StoreResult<Page<Schedule>> {
        let cursor = page.cursor().map(str::to_owned);
        let fetch = page.fetch();
        let rows: Vec<Schedule> = crate::load_rows!(db, {
            let mut query = schedules::table.select(Schedule::as_select()).into_boxed();
            if let Some(cursor) = cursor {
                query = query.filter(schedules::id.lt(cursor));
            }
            query.order(schedules::id.desc()).limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |schedule| &schedule.id))
    }

    /// `false` if there was none.
    pub async fn delete(db: &Db, id: &str) -> StoreResult<bool> {
        let deleted = with_conn!(db, |conn| diesel::delete(schedules::table.find(id))
            .execute(conn)
            .await?);
        Ok(deleted == 1)
    }

    /// Pauses (`next_run_at` kept, not read) or resumes with `next_run_at` as the next tick.
    pub async fn set_paused(
        db: &Db,
        id: &str,
        paused: bool,
        next_run_at: Option<NaiveDateTime>,
    ) -> StoreResult<Schedule> {
        let at = now();
        let updated = with_conn!(db, |conn| {
            if paused {
                diesel::update(schedules::table.find(id))
                    .set((schedules::paused.eq(true), schedules::updated_at.eq(at)))
                    .execute(conn)
                    .await?
            } else {
                diesel::update(schedules::table.find(id))
                    .set((
                        schedules::paused.eq(false),
                        schedules::next_run_at.eq(next_run_at),
                        schedules::updated_at.eq(at),
                    ))
                    .execute(conn)
                    .await?
            }
        });
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Schedule::get(db, id).await
    }

    /// The schedules not paused whose next tick is at or before `at`, earliest first.
    pub async fn due(db: &Db, at: NaiveDateTime, limit: i64) -> StoreResult<Vec<Schedule>> {
        with_conn!(db, |conn| Ok(schedules::table
            .filter(schedules::paused.eq(false))
            .filter(schedules::next_run_at.le(at))
            .order(schedules::next_run_at.asc())
            .limit(limit)
            .select(Schedule::as_select())
            .load(conn)
            .await?))
    }

    /// Claims `tick` of schedule `id`: moves `next_run_at` from `tick` to `next` and records
    /// `tick` as the last run, only if `next_run_at` still is `tick` and the schedule is not
    /// paused. `true` for the one caller whose update changed the row: it alone fires the tick.
    pub async fn claim(
        db: &Db,
        id: &str,
        tick: NaiveDateTime,
        next: NaiveDateTime,
    ) -> StoreResult<bool> {
        let at = now();
        let updated = with_conn!(db, |conn| diesel::update(
            schedules::table
                .find(id)
                .filter(schedules::next_run_at.eq(tick))
                .filter(schedules::paused.eq(false))
        )
        .set((
            schedules::next_run_at.eq(next),
            schedules::last_run_at.eq(tick),
            schedules::updated_at.eq(at),
        ))
        .execute(conn)
        .await?);
        Ok(updated == 1)
    }

    /// Moves a too-late tick forward without firing it (the last run stays as it was).
    pub async fn skip_to(
        db: &Db,
        id: &str,
        tick: NaiveDateTime,
        next: NaiveDateTime,
    ) -> StoreResult<bool> {
        let at = now();
        let updated = with_conn!(db, |conn| diesel::update(
            schedules::table
                .find(id)
                .filter(schedules::next_run_at.eq(tick))
        )
        .set((
            schedules::next_run_at.eq(next),
            schedules::updated_at.eq(at),
        ))
        .execute(conn)
        .await?);
        Ok(updated == 1)
    }

    /// Records what a fired tick started.
    pub async fn fired(
        db: &Db,
        id: &str,
        task_id: Option<&str>,
        workflow_id: Option<&str>,
    ) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::update(schedules::table.find(id))
                .set((
                    schedules::last_task_id.eq(task_id),
                    schedules::last_workflow_id.eq(workflow_id),
                ))
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}
