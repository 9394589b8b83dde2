//! The durable queue over `tasks`: claims under a lease, renewal, failed attempts, reaping.

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::case_when;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};
use diesel_async::{AsyncConnection, RunQueryDsl};

use crate::clock::{DatabaseTime, now};
use crate::db::{Db, checkout_error};
use crate::error::{StoreError, StoreResult};
use crate::models::task::Task;
use crate::prepared::keep_prepared;
use crate::schema::tasks;
use crate::types::{AgentId, TaskStatus};
use crate::with_conn;

pub(crate) const RUNNING: TaskStatus = TaskStatus::Running;
pub(crate) const QUEUED: TaskStatus = TaskStatus::Queued;

/// The changes that end a failed attempt: queued again while attempts remain, with the lease
/// released, else `dead`: finished, with `lease_owner` kept to record which node ran it last.
macro_rules! attempt_failed {
    ($at:expr, $error:expr) => {{
        let exhausted = tasks::attempts.ge(tasks::max_attempts);
        (
            tasks::status
                .eq(case_when::<_, _, Text>(exhausted, TaskStatus::Dead).otherwise(QUEUED)),
            tasks::finished_at.eq(case_when::<_, _, Timestamp>(exhausted, $at)),
            tasks::lease_owner.eq(case_when(exhausted, tasks::lease_owner)),
            tasks::lease_expires_at.eq(None::<NaiveDateTime>),
            tasks::error.eq($error),
        )
    }};
}

/// What a claim writes: the lease, timed by the database's clock, a new attempt and a new fence.
macro_rules! lease {
    ($owner:expr, $lease:expr) => {
        (
            tasks::status.eq(RUNNING),
            tasks::lease_owner.eq($owner),
            tasks::lease_expires_at.eq(DatabaseTime::now_plus($lease).nullable()),
            tasks::started_at.eq(now()),
            tasks::attempts.eq(tasks::attempts + 1),
            tasks::fence.eq(tasks::fence + 1),
        )
    };
}

/// The row of the attempt fenced `fence`, while it runs: every write about a running attempt
/// goes through it, so an attempt that lost its lease cannot overwrite what came after.
#[diesel::dsl::auto_type(no_type_alias)]
pub(crate) fn running_attempt<'a>(id: &'a str, fence: i64) -> _ {
    let running: TaskStatus = RUNNING;
    tasks::table
        .find(id)
        .filter(tasks::fence.eq(fence))
        .filter(tasks::status.eq(running))
}

/// `RETURNING` comes back in no particular order.
fn sort_in_claim_order(tasks: &mut [Task]) {
    tasks.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then_with(|| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)))
    });
}

impl Task {
    /// Leases a queued task to `owner` for `lease` by the database's clock and starts a new
    /// attempt. `None` when the task is no longer queued (someone else claimed or cancelled it).
    pub async fn claim(
        db: &Db,
        id: &str,
        owner: &str,
        lease: Duration,
    ) -> StoreResult<Option<Task>> {
        with_conn!(db, |conn| Ok(keep_prepared(
            diesel::update(tasks::table.find(id).filter(tasks::status.eq(QUEUED)))
                .set(lease!(owner, lease))
                .returning(Task::as_returning())
        )
        .get_result(conn)
        .await
        .optional()?))
    }

    /// Leases up to `limit` queued tasks of `agent` to `owner` for `lease` (by the database's
    /// clock), highest priority and oldest first, and returns them in that order. Concurrent
    /// claimers never get the same task.
    pub async fn claim_next(
        db: &Db,
        agent: AgentId,
        owner: &str,
        lease: Duration,
        limit: i64,
    ) -> StoreResult<Vec<Task>> {
        if limit <= 0 {
            return Ok(Vec::new());
        }
        // Diesel takes a subquery on the updated table only under an alias.
        let candidates = diesel::alias!(tasks as candidates);
        let ids = candidates
            .select(candidates.field(tasks::id))
            .filter(candidates.field(tasks::agent).eq(agent))
            .filter(candidates.field(tasks::status).eq(QUEUED))
            .order((
                candidates.field(tasks::priority).desc(),
                candidates.field(tasks::created_at).asc(),
                candidates.field(tasks::id).asc(),
            ))
            .limit(limit);
        let mut claimed = match db {
            // One statement: lock the candidates, skipping rows other claimers hold, and update
            // exactly those. `= ANY(ARRAY(subquery))` runs the subquery once, before the update;
            // with `IN (subquery)` the planner may re-run it and update more than `limit` rows.
            Db::Postgres(pool) => {
                let mut conn = pool.get().await.map_err(checkout_error)?;
                let locked = diesel::dsl::array(ids.for_update().skip_locked());
                keep_prepared(
                    diesel::update(tasks::table.filter(tasks::id.eq_any(locked)))
                        .set(lease!(owner, lease))
                        .returning(Task::as_returning()),
                )
                .get_results(&mut *conn)
                .await?
            }
            // SQLite runs one writing statement at a time, so the subquery and the update
            // see the same rows.
            Db::Sqlite { pool, .. } => {
                let mut conn = pool.get().await.map_err(checkout_error)?;
                keep_prepared(
                    diesel::update(tasks::table.filter(tasks::id.eq_any(ids)))
                        .set(lease!(owner, lease))
                        .returning(Task::as_returning()),
                )
                .get_results(&mut *conn)
                .await?
            }
        };
        sort_in_claim_order(&mut claimed);
        Ok(claimed)
    }

    /// Extends the lease of the running attempt fenced `fence` to `lease` from the database's
    /// now; false when that attempt no longer runs.
    pub async fn renew_lease(db: &Db, id: &str, fence: i64, lease: Duration) -> StoreResult<bool> {
        let updated = with_conn!(db, |conn| keep_prepared(
            diesel::update(running_attempt(id, fence))
                .set(tasks::lease_expires_at.eq(DatabaseTime::now_plus(lease).nullable()))
        )
        .execute(conn)
        .await?);
        Ok(updated == 1)
    }

    /// Gives the attempt fenced `fence` back without counting it: the task is queued again as if
    /// it had never been claimed, but its fence stays raised, so that attempt's late writes are
    /// refused. For work that never ran, or ran on an instance that stopped for another task's
    /// fault. False when the fence refused the write.
    pub async fn release(db: &Db, id: &str, fence: i64) -> StoreResult<bool> {
        let updated = with_conn!(db, |conn| keep_prepared(
            diesel::update(running_attempt(id, fence)).set((
                tasks::status.eq(TaskStatus::Queued),
                tasks::attempts.eq(tasks::attempts - 1),
                tasks::lease_owner.eq(None::<String>),
                tasks::lease_expires_at.eq(None::<NaiveDateTime>),
            ))
        )
        .execute(conn)
        .await?);
        Ok(updated == 1)
    }

    /// Ends the running attempt fenced `fence` with `error`: the task is queued again while
    /// attempts remain, else `dead`. Returns the new status, or `None` when the fence refused.
    pub async fn fail_attempt(
        db: &Db,
        id: &str,
        fence: i64,
        error: &str,
    ) -> StoreResult<Option<TaskStatus>> {
        let at = now();
        with_conn!(db, |conn| Ok(keep_prepared(
            diesel::update(running_attempt(id, fence))
                .set(attempt_failed!(at, error))
                .returning(tasks::status)
        )
        .get_result(conn)
        .await
        .optional()?))
    }

    /// Ends the running attempt fenced `fence` with an `error` no retry can cure (e.g. a spent
    /// budget): the task is `dead` whatever attempts remain. `None` when the fence refused.
    pub async fn fail_for_good(
        db: &Db,
        id: &str,
        fence: i64,
        error: &str,
    ) -> StoreResult<Option<TaskStatus>> {
        let at = now();
        with_conn!(db, |conn| Ok(keep_prepared(
            diesel::update(running_attempt(id, fence))
                .set((
                    tasks::status.eq(TaskStatus::Dead),
                    tasks::finished_at.eq(Some(at)),
                    tasks::lease_expires_at.eq(None::<NaiveDateTime>),
                    tasks::error.eq(error),
                ))
                .returning(tasks::status)
        )
        .get_result(conn)
        .await
        .optional()?))
    }

    /// Ends every running attempt whose lease expired by the database's clock, as
    /// `fail_attempt` does with the error "lease expired", and returns the tasks changed. Safe
    /// to run on several nodes.
    pub async fn reap_expired(db: &Db) -> StoreResult<Vec<Task>> {
        let error = "lease expired";
        let (at, expired) = (now(), DatabaseTime::now().nullable());
        let mut reaped = match db {
            // Skip rows another reaper or a worker's write holds: they are settled by that
            // write, or reaped next time. Nothing waits, so reapers cannot deadlock.
            Db::Postgres(pool) => {
                let mut conn = pool.get().await.map_err(checkout_error)?;
                conn.transaction::<_, StoreError, _>(async |conn| {
                    let ids: Vec<String> = tasks::table
                        .select(tasks::id)
                        .filter(tasks::status.eq(RUNNING))
                        .filter(tasks::lease_expires_at.lt(expired))
                        .for_update()
                        .skip_locked()
                        .load(conn)
                        .await?;
                    if ids.is_empty() {
                        return Ok(Vec::new());
                    }
                    Ok(diesel::update(
                        tasks::table
                            .filter(tasks::id.eq_any(&ids))
                            .filter(tasks::status.eq(RUNNING))
                            .filter(tasks::lease_expires_at.lt(expired)),
                    )
                    .set(attempt_failed!(at, error))
                    .returning(Task::as_returning())
                    .get_results(conn)
                    .await?)
                })
                .await?
            }
            Db::Sqlite { pool, .. } => {
                let mut conn = pool.get().await.map_err(checkout_error)?;
                diesel::update(
                    tasks::table
                        .filter(tasks::status.eq(RUNNING))
                        .filter(tasks::lease_expires_at.lt(expired)),
                )
                .set(attempt_failed!(at, error))
                .returning(Task::as_returning())
                .get_results(&mut *conn)
                .await?
            }
        };
        reaped.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        Ok(reaped)
    }
}
