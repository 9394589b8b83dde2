//! `POST /api/v1/imports`: takes a keyword export or AWIN feed as multipart form data, streams it
//! into the database and queues the opportunity scanner's `import` task to read it, on whichever
//! node has room.

use actix_multipart::{Multipart, MultipartError};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Duration;
use empire_actors::kinds::AgentId;
use empire_actors::opportunity_scanner::import::{ImportKind, KIND, Language};
use empire_actors::runtime::TaskRequest;
use empire_schema::clock::now;
use empire_schema::models::{Created, ImportUpload};
use futures::StreamExt;

use super::form::ImportForm;
use super::upload::{PendingUpload, bad_body};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::routes::tasks::view::TaskView;
use crate::state::AppState;

/// An upload still incomplete after this long lost its request: swept.
const ABANDONED_AFTER_H: i64 = 24;
/// Imports of large files take long: the longest a task may run.
const IMPORT_TIMEOUT_S: i64 = 3600;

/// The form, as documented (it is read field by field, never as a whole).
#[derive(utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "describes the multipart form in the OpenAPI document"
)]
pub struct ImportUploadForm {
    /// What the file holds; must come before `file`.
    kind: ImportKind,
    /// The keywords' language (keyword imports only); default `en`.
    language: Option<Language>,
    /// Tags every imported keyword (keyword imports only), at most 100 characters.
    niche: Option<String>,
    /// Write the good rows of a file that has bad ones (`true` | `false`, default false).
    skip_bad: Option<bool>,
    /// The CSV or TSV export, plain or gzip, UTF-8 or UTF-16, at most `http.import_limit_bytes`.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[utoipa::path(
    post,
    path = "/api/v1/imports",
    tag = "intelligence",
    request_body(
        content = ImportUploadForm,
        content_type = "multipart/form-data",
        description = "A keyword export or AWIN feed and how to import it; `kind` must come before `file`, which is stored as it streams (at most `http.import_limit_bytes`, 2 GiB by default)"
    ),
    responses(
        (status = 202, description = "Stored and queued: the `import` task, whose result is the report `{summary: {rows, bad_total, bad}, written, refused}`; `task_progress` events tell its phase and rows", body = TaskView),
        (status = 413, description = "The file is larger than http.import_limit_bytes; nothing is stored"),
        (status = 415, description = "The body is not multipart/form-data"),
        (status = 422, description = "A missing, unknown or invalid field (`kind`, `language`, `niche`, `skip_bad`, `file`); nothing is stored"),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_import(
    state: web::Data<AppState>,
    principal: Principal,
    request: HttpRequest,
    mut form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let limit = state.config.http.import_limit_bytes;
    if declared_length(&request).is_some_and(|length| length > limit.saturating_add(64 * 1024)) {
        return Err(too_large(limit));
    }
    sweep(&state).await;
    let mut upload: Option<PendingUpload> = None;
    let queued = async {
        let fields = receive(&state, &principal, &mut form, &mut upload, limit).await?;
        let upload_id = upload
            .as_ref()
            .map(|upload| upload.id.clone())
            .ok_or_else(|| ApiError::field("file", "is required"))?;
        let mut task =
            TaskRequest::new(AgentId::OpportunityScanner, KIND, fields.input(&upload_id)?);
        task.principal = Some(principal.user_id.clone());
        task.timeout_s = Some(IMPORT_TIMEOUT_S);
        match state.runtime.submit(task).await? {
            Created::New(task) | Created::Existing(task) => Ok::<_, ApiError>((upload_id, task)),
        }
    }
    .await;
    let (upload_id, task) = match queued {
        Ok(queued) => queued,
        Err(error) => {
            if let Some(upload) = upload.take() {
                upload.discard().await;
            }
            return Err(error);
        }
    };
    if let Some(upload) = upload.take() {
        upload.keep();
    }
    if let Err(error) = ImportUpload::attach_task(&state.db, &upload_id, &task.id).await {
        tracing::warn!(%error, upload_id, "cannot record an upload's task");
    }
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/tasks/{}", task.id)))
        .json(TaskView::from(task)))
}

/// Reads the form, storing its file into `upload` as it streams.
async fn receive(
    state: &AppState,
    principal: &Principal,
    form: &mut Multipart,
    upload: &mut Option<PendingUpload>,
    limit: u64,
) -> Result<ImportForm, ApiError> {
    let mut fields = ImportForm::default();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|error| refused(&error))?;
        let name = field.name().unwrap_or_default().to_owned();
        if name != "file" {
            fields.read(&name, &mut field).await?;
            continue;
        }
        if upload.is_some() {
            return Err(ApiError::field("file", "sent twice"));
        }
        let kind = fields.kind_for_file()?;
        fields.check()?;
        let user = Some(principal.user_id.clone());
        *upload = Some(PendingUpload::store(&state.db, kind, &mut field, limit, user).await?);
    }
    Ok(fields)
}

fn declared_length(request: &HttpRequest) -> Option<u64> {
    request
        .headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

fn too_large(limit: u64) -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "file: larger than http.import_limit_bytes ({limit} bytes)"
    ))
}

/// Not multipart at all (415), or not well-formed (400).
fn refused(error: &MultipartError) -> ApiError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => ApiError::UnsupportedMediaType(
            "the body must be multipart/form-data (fields kind, language, niche, skip_bad, file)"
                .into(),
        ),
        other => bad_body(other),
    }
}

/// Clears what earlier imports left (see [`ImportUpload::sweep`]); a failure only waits for the
/// next upload.
async fn sweep(state: &AppState) {
    let abandoned = now() - Duration::hours(ABANDONED_AFTER_H);
    match ImportUpload::sweep(&state.db, abandoned).await {
        Ok(0) => {}
        Ok(rows) => tracing::info!(rows, "swept what earlier imports left"),
        Err(error) => tracing::warn!(%error, "cannot sweep earlier uploads"),
    }
}
