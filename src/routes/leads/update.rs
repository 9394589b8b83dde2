//! `PATCH /api/v1/leads/{id}` `{funnel_stage}`: moves a lead on (to `nurtured` or
//! `converted`); a stage never moves back. `confirmed` comes only from the lead's own click.

use actix_web::web;
use empire_schema::FunnelStage;
use empire_schema::models::{Advance, Lead};
use serde::Deserialize;
use utoipa::ToSchema;

use super::view::LeadView;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadUpdate {
    /// `nurtured` or `converted`.
    pub funnel_stage: FunnelStage,
}

#[utoipa::path(
    patch,
    path = "/api/v1/leads/{id}",
    tag = "leads",
    params(("id" = String, Path, format = Uuid, description = "The lead's id")),
    request_body = LeadUpdate,
    responses(
        (status = 200, description = "Moved on", body = LeadView),
        (status = 404, description = "No such lead", body = crate::error::Problem),
        (status = 409, description = "The lead is already at that stage or further", body = crate::error::Problem),
        (status = 422, description = "Not a stage an operator sets", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip(state, body))]
pub async fn update_lead(
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: ValidJson<LeadUpdate>,
) -> Result<web::Json<LeadView>, ApiError> {
    let stage = body.0.funnel_stage;
    if !matches!(stage, FunnelStage::Nurtured | FunnelStage::Converted) {
        return Err(ApiError::field(
            "funnel_stage",
            "an operator sets nurtured or converted; confirmed comes from the lead's own click",
        ));
    }
    let lead = super::load(&state, &id).await?;
    match Lead::advance(&state.db, &lead.id, stage).await? {
        Advance::Moved(lead) => Ok(web::Json((*lead).into())),
        Advance::NotForward(current) => Err(ApiError::Conflict(format!(
            "the lead is already {current}; a stage never moves back"
        ))),
    }
}
