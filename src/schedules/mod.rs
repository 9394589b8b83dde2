//! Schedules: work the cluster asks for on a cron clock. Every node runs [`start`]'s loop; a
//! tick is fired by the one node whose conditional update claims it in the store
//! ([`Schedule::claim`]), and the task it submits carries an idempotency key naming the schedule
//! and the tick as well.

pub mod timing;

use std::time::Duration;

use chrono::NaiveDateTime;
use empire_actors::runtime::{Runtime, StartError, TaskRequest};
use empire_schema::models::{Created, Overlap, Schedule, ScheduleTarget, Task, Workflow};
use empire_schema::{Db, StoreError, TaskStatus, WorkflowStatus};

pub use timing::Timing;

/// How often each node looks for due schedules.
const POLL: Duration = Duration::from_secs(1);
/// Due schedules handled per look.
const BATCH: i64 = 100;
/// A tick this late still fires whatever `catch_up_s` says: the loop itself may be this late.
pub const GRACE_S: i64 = 10;
/// `catch_up_s` when a schedule does not set it.
pub const DEFAULT_CATCH_UP_S: i64 = 300;

/// Starts this node's schedule loop.
pub fn start(db: &Db, runtime: &Runtime) {
    let (db, runtime) = (db.clone(), runtime.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = fire_due(&db, &runtime).await {
                tracing::warn!(%error, "schedules: due schedules not read");
            }
        }
    });
}

/// Handles every schedule due now: claims its tick and, when this node won the claim, fires it.
pub async fn fire_due(db: &Db, runtime: &Runtime) -> Result<(), StoreError> {
    let now = empire_schema::clock::now();
    for schedule in Schedule::due(db, now, BATCH).await? {
        if let Err(error) = handle(db, runtime, &schedule, now).await {
            tracing::warn!(%error, schedule = %schedule.id, "schedules: tick not handled");
        }
    }
    Ok(())
}

async fn handle(
    db: &Db,
    runtime: &Runtime,
    schedule: &Schedule,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let Some(tick) = schedule.next_run_at else {
        return Ok(());
    };
    let timing = match Timing::parse(&schedule.cron, &schedule.timezone) {
        Ok(timing) => timing,
        Err(error) => {
            tracing::warn!(%error, schedule = %schedule.id, "schedules: stored expression unreadable");
            return Ok(());
        }
    };
    let Some(next) = timing.next_after(now) else {
        tracing::warn!(schedule = %schedule.id, "schedules: the expression never matches again");
        return Ok(());
    };
    // Missed ticks fire once, if the latest of them is recent enough.
    let latest = timing.latest_until(now).unwrap_or(tick).max(tick);
    let late_s = (now - latest).num_seconds();
    if late_s > schedule.catch_up_s.max(GRACE_S) {
        if Schedule::skip_to(db, &schedule.id, tick, next).await? {
            tracing::info!(schedule = %schedule.id, %tick, late_s, "schedules: missed ticks skipped");
            count("missed");
        }
        return Ok(());
    }
    if !Schedule::claim(db, &schedule.id, tick, next).await? {
        return Ok(()); // another node fires this tick
    }
    fire(db, runtime, schedule, tick).await
}

/// Fires a claimed tick, as the overlap policy says.
async fn fire(
    db: &Db,
    runtime: &Runtime,
    schedule: &Schedule,
    tick: NaiveDateTime,
) -> Result<(), StoreError> {
    if let Some(running) = still_running(db, schedule).await? {
        match schedule.overlap {
            Overlap::Skip => {
                tracing::info!(schedule = %schedule.id, %tick, "schedules: previous run still going; tick skipped");
                count("overlap_skipped");
                return Ok(());
            }
            Overlap::Queue => {}
            Overlap::Cancel => {
                let cancelled = match &running {
                    Running::Task(id) => runtime.cancel_task(id).await.map(|_| ()),
                    Running::Workflow(id) => runtime.cancel_workflow(id).await.map(|_| ()),
                };
                match cancelled {
                    // It ended meanwhile, or was deleted: nothing to cancel.
                    Ok(()) | Err(StoreError::Conflict(_) | StoreError::NotFound) => {}
                    Err(error) => return Err(error),
                }
            }
        }
    }
    let key = idempotency_key(&schedule.id, tick);
    match schedule.target {
        ScheduleTarget::Task => {
            let Some(agent) = schedule.agent else {
                tracing::warn!(schedule = %schedule.id, "schedules: a task schedule without an agent");
                return Ok(());
            };
            let mut request =
                TaskRequest::new(agent, schedule.kind.clone(), schedule.input.0.clone());
            request.idempotency_key = Some(key);
            match runtime.submit(request).await {
                Ok(Created::New(task) | Created::Existing(task)) => {
                    tracing::info!(schedule = %schedule.id, task = %task.id, "schedules: task fired");
                    count("fired");
                    Schedule::fired(db, &schedule.id, Some(&task.id), None).await
                }
                Err(error) => {
                    tracing::warn!(%error, schedule = %schedule.id, "schedules: task not submitted");
                    count("failed");
                    Ok(())
                }
            }
        }
        ScheduleTarget::Workflow => {
            match runtime
                .start_workflow_keyed(&schedule.kind, schedule.input.0.clone(), &key)
                .await
            {
                Ok((workflow, _)) => {
                    tracing::info!(schedule = %schedule.id, workflow = %workflow.id, "schedules: workflow fired");
                    count("fired");
                    Schedule::fired(db, &schedule.id, None, Some(&workflow.id)).await
                }
                // Started for this tick already.
                Err(StartError::Store(StoreError::Conflict(_))) => Ok(()),
                Err(error) => {
                    tracing::warn!(%error, schedule = %schedule.id, "schedules: workflow not started");
                    count("failed");
                    Ok(())
                }
            }
        }
    }
}

/// `schedule:<id>:<tick as RFC 3339>`.
pub fn idempotency_key(schedule_id: &str, tick: NaiveDateTime) -> String {
    format!(
        "schedule:{schedule_id}:{}",
        tick.and_utc().format("%Y-%m-%dT%H:%M:%SZ")
    )
}

enum Running {
    Task(String),
    Workflow(String),
}

/// The previous tick's task or workflow, while it is still queued or running.
async fn still_running(db: &Db, schedule: &Schedule) -> Result<Option<Running>, StoreError> {
    match schedule.target {
        ScheduleTarget::Task => {
            let Some(id) = &schedule.last_task_id else {
                return Ok(None);
            };
            match Task::get(db, id).await {
                Ok(task) if matches!(task.status, TaskStatus::Queued | TaskStatus::Running) => {
                    Ok(Some(Running::Task(task.id)))
                }
                Ok(_) | Err(StoreError::NotFound) => Ok(None),
                Err(error) => Err(error),
            }
        }
        ScheduleTarget::Workflow => {
            let Some(id) = &schedule.last_workflow_id else {
                return Ok(None);
            };
            match Workflow::get(db, id).await {
                Ok(workflow) if workflow.status == WorkflowStatus::Running => {
                    Ok(Some(Running::Workflow(workflow.id)))
                }
                Ok(_) | Err(StoreError::NotFound) => Ok(None),
                Err(error) => Err(error),
            }
        }
    }
}

fn count(outcome: &'static str) {
    metrics::counter!(crate::metrics::SCHEDULE_TICKS, "outcome" => outcome).increment(1);
}
