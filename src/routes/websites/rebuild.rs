//! `POST /api/v1/websites/{id}/rebuild`: builds the site again from its stored pages (a
//! person's edits included) through a durable `website_rebuild`: monetise → build → audit →
//! publish. 202 with the run's id; 409 while another run is making the site.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use empire_schema::WorkflowStatus;
use empire_schema::models::{Website, Workflow};
use serde_json::json;

use super::view::WebsiteRunView;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/websites/{id}/rebuild",
    tag = "websites",
    params(("id" = String, Path, format = Uuid, description = "The website's id")),
    responses((status = 202, description = "The rebuild runs", body = WebsiteRunView))
)]
#[tracing::instrument(skip(state))]
pub async fn rebuild_website(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let website = super::load(&state, &id).await?;
    refuse_while_running(&state, &website).await?;
    let (workflow, _first) = state
        .runtime
        .start_workflow("website_rebuild", json!({ "website_id": website.id }))
        .await?;
    Website::set_workflow(&state.db, &website.id, &workflow.id).await?;
    Ok(HttpResponse::Accepted()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/workflows/{}", workflow.id),
        ))
        .json(WebsiteRunView {
            website_id: website.id,
            workflow_id: workflow.id,
        }))
}

/// 409 while the site's latest run is still going: two runs would race over its builds.
pub async fn refuse_while_running(state: &AppState, website: &Website) -> Result<(), ApiError> {
    let Some(workflow_id) = &website.workflow_id else {
        return Ok(());
    };
    let workflow = Workflow::get(&state.db, workflow_id).await?;
    if workflow.status == WorkflowStatus::Running {
        return Err(ApiError::Conflict(format!(
            "workflow {workflow_id} is still making this website; wait for it or cancel it"
        )));
    }
    Ok(())
}
