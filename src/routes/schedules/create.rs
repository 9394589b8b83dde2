//! `POST /api/v1/schedules`: validate everything (cron, time zone, the target's agent, kind and
//! input) before storing; the first tick is the next one after now.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use empire_actors::kinds::{AgentId, KindError};
use empire_actors::workflows::{self, WorkflowError};
use empire_schema::Json;
use empire_schema::models::{Overlap, Schedule, ScheduleTarget};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::view::ScheduleView;
use crate::error::{ApiError, invalid_input};
use crate::extract::ValidJson;
use crate::schedules::{DEFAULT_CATCH_UP_S, Timing, timing};
use crate::state::AppState;

const MAX_NAME_CHARS: usize = 200;
/// A week.
const MAX_CATCH_UP_S: i64 = 7 * 24 * 3600;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSchedule {
    #[schema(
        example = "nightly link-health check",
        min_length = 1,
        max_length = 200
    )]
    pub name: String,
    /// 5 fields (`minute hour day-of-month month day-of-week`), or 6 with seconds first.
    #[schema(example = "0 3 * * *")]
    pub cron: String,
    /// An IANA time zone the cron fields are read in; default `UTC`.
    #[schema(example = "Europe/Berlin")]
    pub timezone: Option<String>,
    /// An agent's task to queue each tick (give this or `workflow`).
    pub task: Option<TaskTarget>,
    /// A workflow to start each tick (give this or `task`).
    pub workflow: Option<WorkflowTarget>,
    /// While the previous tick's run is still queued or running: `skip` (default), `queue` or
    /// `cancel` it and fire.
    pub overlap: Option<Overlap>,
    /// How late (seconds) a tick missed while no node ran may still fire, once; older ones are
    /// skipped. Default 300.
    #[schema(minimum = 0, maximum = 604800)]
    pub catch_up_s: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskTarget {
    #[schema(value_type = AgentId)]
    pub agent: String,
    #[schema(example = "check_offers")]
    pub kind: String,
    #[schema(value_type = Object)]
    pub input: Value,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowTarget {
    #[schema(example = "page_pipeline")]
    pub kind: String,
    #[schema(value_type = Object)]
    pub input: Value,
}

#[utoipa::path(
    post,
    path = "/api/v1/schedules",
    tag = "schedules",
    request_body = NewSchedule,
    responses(
        (status = 201, description = "Created", body = ScheduleView),
        (status = 422, description = "A bad name, cron expression, time zone, agent, kind, input, overlap or catch_up_s; `errors` names it"),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_schedule(
    state: web::Data<AppState>,
    body: ValidJson<NewSchedule>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::field(
            "name",
            format!("must be 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    let cron_text = body.cron.trim().to_owned();
    let cron = timing::parse_cron(&cron_text).map_err(|error| ApiError::field("cron", error))?;
    let timezone = body.timezone.unwrap_or_else(|| "UTC".to_owned());
    let zone =
        timing::parse_timezone(&timezone).map_err(|error| ApiError::field("timezone", error))?;
    let catch_up_s = body.catch_up_s.unwrap_or(DEFAULT_CATCH_UP_S);
    if !(0..=MAX_CATCH_UP_S).contains(&catch_up_s) {
        return Err(ApiError::field(
            "catch_up_s",
            format!("must be 0 to {MAX_CATCH_UP_S} seconds"),
        ));
    }
    let (target, agent, kind, input) = match (body.task, body.workflow) {
        (Some(task), None) => {
            let agent: AgentId = task.agent.parse().map_err(|_| {
                ApiError::field("task.agent", format!("unknown agent `{}`", task.agent))
            })?;
            state
                .runtime
                .validate_task(agent, &task.kind, &task.input)
                .map_err(|error| kind_error("task", error))?;
            (ScheduleTarget::Task, Some(agent), task.kind, task.input)
        }
        (None, Some(workflow)) => {
            workflows::find(&workflow.kind)
                .and_then(|spec| spec.validate(&workflow.input))
                .map_err(workflow_error)?;
            (
                ScheduleTarget::Workflow,
                None,
                workflow.kind,
                workflow.input,
            )
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "workflow",
                "give either `task` or `workflow`, not both",
            ));
        }
        (None, None) => {
            return Err(ApiError::field(
                "task",
                "give `task` ({agent, kind, input}) or `workflow` ({kind, input})",
            ));
        }
    };
    let now = empire_schema::clock::now();
    let next_run_at = Timing::new(cron, zone).next_after(now);
    if next_run_at.is_none() {
        return Err(ApiError::field("cron", "never matches a future time"));
    }
    let row = Schedule {
        id: empire_schema::clock::new_id(),
        name,
        cron: cron_text,
        timezone,
        target,
        agent,
        kind,
        input: Json(input),
        overlap: body.overlap.unwrap_or(Overlap::Skip),
        catch_up_s,
        paused: false,
        next_run_at,
        last_run_at: None,
        last_task_id: None,
        last_workflow_id: None,
        created_at: now,
        updated_at: now,
    };
    Schedule::create(&state.db, &row).await?;
    let location = format!("/api/v1/schedules/{}", row.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(ScheduleView::from(row)))
}

/// A task target's kind error, with fields named from the body's root.
fn kind_error(root: &str, error: KindError) -> ApiError {
    match error {
        KindError::UnknownKind { agent, kind, known } => ApiError::field(
            &format!("{root}.kind"),
            format!(
                "{} has no kind `{kind}`; known kinds: {}",
                agent.as_str(),
                known.join(", ")
            ),
        ),
        KindError::InvalidInput(errors) => invalid_input(&format!("{root}.input"), errors),
        other => ApiError::field(&format!("{root}.input"), other.to_string()),
    }
}

fn workflow_error(error: WorkflowError) -> ApiError {
    match error {
        WorkflowError::UnknownKind { kind, known } => ApiError::field(
            "workflow.kind",
            format!(
                "no workflow kind `{kind}`; known kinds: {}",
                known.join(", ")
            ),
        ),
        WorkflowError::InvalidInput(errors) => invalid_input("workflow.input", errors),
        other => ApiError::field("workflow.input", other.to_string()),
    }
}
