//! `POST /api/v1/workflows`: validate, then store the workflow with its first step's task.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use empire_actors::kinds::website_of;
use empire_actors::runtime::Event;
use empire_actors::runtime::workflow_step::{self, StartError};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::view::{WorkflowView, workflow_view};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartWorkflow {
    #[schema(example = "page_pipeline")]
    pub kind: String,
    pub input: Value,
}

#[utoipa::path(
    post,
    path = "/api/v1/workflows",
    tag = "workflows",
    request_body = StartWorkflow,
    responses((status = 202, description = "Started", body = WorkflowView))
)]
#[tracing::instrument(skip_all)]
pub async fn start_workflow(
    state: web::Data<AppState>,
    body: ValidJson<StartWorkflow>,
) -> Result<HttpResponse, ApiError> {
    let StartWorkflow { kind, input } = body.0;
    let (workflow, first) =
        match workflow_step::start(&state.db, &state.config.tasks, &kind, input).await {
            Ok(started) => started,
            Err(StartError::Workflow(error)) => return Err(error.into()),
            Err(StartError::Store(error)) => return Err(error.into()),
        };
    state.runtime.publish(Event::TaskQueued {
        task_id: first.id.clone(),
        agent: first.agent.clone(),
        kind: first.kind.clone(),
        workflow_id: Some(workflow.id.clone()),
        website_id: website_of(&first.input.0),
    });
    if let Ok(agent) = first.agent.parse() {
        state.runtime.wake(agent);
    }
    let location = format!("/api/v1/workflows/{}", workflow.id);
    let view = workflow_view(&state.db, workflow).await?;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, location))
        .json(view))
}
