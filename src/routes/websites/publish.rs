//! `POST /api/v1/websites/{id}/publish?wait_s=`: puts the newest build that passed the gate
//! live (and on the configured deploy targets) through a `publish_site` task: 200 with its
//! result when it ends in time, else 202 with the task.

use actix_web::{HttpResponse, web};
use empire_actors::kinds::AgentId;
use empire_actors::runtime::TaskRequest;
use empire_schema::StoreError;
use empire_schema::models::SiteBuild;
use serde::Deserialize;
use serde_json::json;

use super::rebuild::refuse_while_running;
use crate::error::ApiError;
use crate::routes::intelligence::waited::{run_and_wait, wait_of};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PublishQuery {
    /// Seconds to wait for the result (0–120, default 30).
    #[param(value_type = Option<u64>, minimum = 0, maximum = 120)]
    pub wait_s: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/websites/{id}/publish",
    tag = "websites",
    params(("id" = String, Path, format = Uuid, description = "The website's id"), PublishQuery),
    responses(
        (status = 200, description = "The publish step's result: `{website_id, build_id, published, reason?}`", body = Object),
        (status = 202, description = "Still running: the task", body = crate::routes::tasks::view::TaskView),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn publish_website(
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<PublishQuery>,
) -> Result<HttpResponse, ApiError> {
    let wait = wait_of(query.wait_s.as_deref())?;
    let website = super::load(&state, &id).await?;
    refuse_while_running(&state, &website).await?;
    let build = match SiteBuild::latest_passed(&state.db, &website.id).await {
        Ok(build) => build,
        Err(StoreError::NotFound) => {
            return Err(ApiError::Conflict(
                "no build of this website has passed the publish gate; rebuild it".into(),
            ));
        }
        Err(error) => return Err(error.into()),
    };
    let request = TaskRequest::new(
        AgentId::WebsiteBuilder,
        "publish_site",
        json!({ "website_id": website.id, "build_id": build.id }),
    );
    run_and_wait(&state, request, wait).await
}
