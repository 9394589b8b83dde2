//! `DELETE /api/v1/leads/{id}`: erasure on request: the lead, its events and every mail
//! written to it. The address stays on the suppression list if it unsubscribed (so it is
//! still never mailed).

use actix_web::{HttpResponse, web};
use empire_schema::models::Lead;

use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    delete,
    path = "/api/v1/leads/{id}",
    tag = "leads",
    params(("id" = String, Path, format = Uuid, description = "The lead's id")),
    responses(
        (status = 204, description = "Erased with its events and mail"),
        (status = 404, description = "No such lead", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn delete_lead(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let lead = super::load(&state, &id).await?;
    Lead::delete(&state.db, &lead.id).await?;
    Ok(HttpResponse::NoContent().finish())
}
