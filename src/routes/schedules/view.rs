//! What a client sees of a schedule.

use chrono::{DateTime, Utc};
use empire_schema::AgentId;
use empire_schema::models::{Overlap, Schedule, ScheduleTarget};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    /// 5 fields, or 6 with seconds first.
    #[schema(example = "0 3 * * *")]
    pub cron: String,
    /// The IANA time zone the cron fields are read in.
    #[schema(example = "Europe/Berlin")]
    pub timezone: String,
    pub target: TargetView,
    pub overlap: Overlap,
    /// How late (seconds) a missed tick may still fire, once.
    pub catch_up_s: i64,
    pub paused: bool,
    /// The next tick; absent while paused before the first resume.
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub next_run_at: Option<DateTime<Utc>>,
    /// The last tick fired (or skipped for overlap).
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub last_run_at: Option<DateTime<Utc>>,
    #[schema(format = Uuid)]
    pub last_task_id: Option<String>,
    #[schema(format = Uuid)]
    pub last_workflow_id: Option<String>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub updated_at: DateTime<Utc>,
}

/// What each tick starts.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetView {
    /// `task` (an agent's task) or `workflow`.
    #[serde(rename = "type")]
    pub target: ScheduleTarget,
    /// The task's agent (absent for a workflow).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentId>,
    /// The task kind or workflow kind.
    pub kind: String,
    #[schema(value_type = Object)]
    pub input: Value,
}

impl From<Schedule> for ScheduleView {
    fn from(schedule: Schedule) -> Self {
        ScheduleView {
            id: schedule.id,
            name: schedule.name,
            cron: schedule.cron,
            timezone: schedule.timezone,
            target: TargetView {
                target: schedule.target,
                agent: schedule.agent,
                kind: schedule.kind,
                input: schedule.input.0,
            },
            overlap: schedule.overlap,
            catch_up_s: schedule.catch_up_s,
            paused: schedule.paused,
            next_run_at: schedule.next_run_at.map(|at| at.and_utc()),
            last_run_at: schedule.last_run_at.map(|at| at.and_utc()),
            last_task_id: schedule.last_task_id,
            last_workflow_id: schedule.last_workflow_id,
            created_at: schedule.created_at.and_utc(),
            updated_at: schedule.updated_at.and_utc(),
        }
    }
}
