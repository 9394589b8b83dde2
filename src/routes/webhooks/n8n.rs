//! `POST /webhooks/n8n/{hook}`: a configured hook turns its JSON body into a task or a workflow.
//! The caller proves itself by the hook's header secret or basic auth (both compared in
//! constant time); an unknown hook and a wrong credential look alike to the caller (`401` only
//! once the hook exists, so a hook's name is no secret to guard). A body the kind or workflow
//! refuses gets `422` naming the field, and nothing is queued.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use empire_actors::runtime::TaskRequest;
use empire_schema::models::Created;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

use crate::config::{HookConfig, HookTarget};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/webhooks/n8n/{hook}",
    tag = "webhooks",
    params(("hook" = String, Path, description = "A hook of `[integrations.n8n.hooks]`")),
    request_body(content = Object, description = "The input of the hook's task kind or workflow"),
    responses(
        (status = 202, description = "Queued: `{\"task_id\"}` or `{\"workflow_id\"}`", body = Object),
        (status = 200, description = "A task with this `Idempotency-Key` exists: `{\"task_id\"}`", body = Object),
        (status = 401, description = "The hook's secret or basic auth is missing or wrong", body = crate::error::Problem),
        (status = 404, description = "No such hook", body = crate::error::Problem),
        (status = 422, description = "The body is not valid input (the field is named)", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip(state, request, body))]
pub async fn n8n_hook(
    state: web::Data<AppState>,
    hook: web::Path<String>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let Some(config) = state.config.integrations.n8n.hooks.get(hook.as_str()) else {
        return Err(ApiError::NotFound(format!("no hook `{hook}`")));
    };
    if !authenticated(config, &request) {
        return Err(ApiError::Unauthorized(format!(
            "hook `{hook}` needs its secret in `{}` or its basic auth",
            config.secret_header()
        )));
    }
    let input: Value = serde_json::from_slice(&body)
        .map_err(|error| ApiError::field("body", format!("not JSON: {error}")))?;
    let target = config
        .target()
        .map_err(|reason| ApiError::Internal(anyhow::anyhow!("hook `{hook}`: {reason}")))?;
    match target {
        HookTarget::Task { agent, kind } => {
            let idempotency_key = request
                .headers()
                .get("idempotency-key")
                .and_then(|value| value.to_str().ok())
                .map(|key| format!("n8n:{hook}:{key}"));
            let task = TaskRequest {
                agent,
                kind,
                input,
                priority: None,
                max_attempts: None,
                timeout_s: None,
                idempotency_key,
                principal: None,
            };
            Ok(
                match state.runtime.submit(task).await.map_err(body_fields)? {
                    Created::Existing(task) => HttpResponse::Ok().json(json!({"task_id": task.id})),
                    Created::New(task) => HttpResponse::Accepted()
                        .insert_header((header::LOCATION, format!("/api/v1/tasks/{}", task.id)))
                        .json(json!({"task_id": task.id})),
                },
            )
        }
        HookTarget::Workflow(kind) => {
            let (workflow, _first) = state
                .runtime
                .start_workflow(&kind, input)
                .await
                .map_err(body_fields)?;
            Ok(HttpResponse::Accepted()
                .insert_header((
                    header::LOCATION,
                    format!("/api/v1/workflows/{}", workflow.id),
                ))
                .json(json!({"workflow_id": workflow.id})))
        }
    }
}

/// The runtime names a bad field of a task's or workflow's `input.…`; a hook's body is that
/// input, so the field is named as it is in the body.
fn body_fields(error: impl Into<ApiError>) -> ApiError {
    match error.into() {
        ApiError::Validation { detail, errors } => ApiError::Validation {
            detail: detail.replacen("input.", "", 1),
            errors: errors
                .into_iter()
                .map(|mut error| {
                    if let Some(field) = error.field.strip_prefix("input.") {
                        error.field = field.to_owned();
                    } else if error.field == "input" {
                        error.field = "body".to_owned();
                    }
                    error
                })
                .collect(),
        },
        other => other,
    }
}

/// The hook's header secret or basic auth, whichever it has, matches.
fn authenticated(config: &HookConfig, request: &HttpRequest) -> bool {
    let same = |given: &[u8], expected: &str| {
        !expected.is_empty() && bool::from(given.ct_eq(expected.as_bytes()))
    };
    let by_header = request
        .headers()
        .get(config.secret_header().as_str())
        .is_some_and(|value| same(value.as_bytes(), config.secret.expose()));
    let by_basic = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| STANDARD.decode(encoded.trim()).ok())
        .is_some_and(|decoded| {
            let expected = format!("{}:{}", config.username, config.password.expose());
            !config.username.is_empty() && same(&decoded, &expected)
        });
    by_header || by_basic
}
