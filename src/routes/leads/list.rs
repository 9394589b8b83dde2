//! `GET /api/v1/leads?website_id=&stage=&email=&limit=&cursor=`: newest first.

use actix_web::web;
use empire_schema::FunnelStage;
use empire_schema::models::{Lead, LeadFilter};
use serde::Deserialize;

use super::view::LeadView;
use crate::error::ApiError;
use crate::extract::PageQuery;
use crate::routes::views::PageView;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LeadQuery {
    /// Only this website's leads.
    #[param(format = Uuid)]
    pub website_id: Option<String>,
    /// Only leads at this stage.
    #[param(value_type = Option<FunnelStage>)]
    pub stage: Option<String>,
    /// Only this address (for an erasure request).
    pub email: Option<String>,
    /// Items per page (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(max_length = 64)]
    pub cursor: Option<String>,
}

impl LeadQuery {
    pub fn filter(&self) -> Result<LeadFilter, ApiError> {
        let stage = match self.stage.as_deref() {
            None => None,
            Some(text) => Some(text.parse::<FunnelStage>().map_err(|_| {
                ApiError::field(
                    "stage",
                    "must be captured, confirmed, nurtured or converted",
                )
            })?),
        };
        Ok(LeadFilter {
            website_id: self.website_id.clone(),
            stage,
            email: self.email.as_ref().map(|e| e.trim().to_lowercase()),
        })
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/leads",
    tag = "leads",
    params(LeadQuery),
    responses(
        (status = 200, description = "Leads, newest first", body = PageView<LeadView>),
        (status = 422, description = "A bad stage, limit or cursor", body = crate::error::Problem),
    )
)]
pub async fn list_leads(
    state: web::Data<AppState>,
    query: web::Query<LeadQuery>,
) -> Result<web::Json<PageView<LeadView>>, ApiError> {
    let query = query.into_inner();
    let filter = query.filter()?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .page()?;
    Ok(web::Json(PageView::from_page(
        Lead::list(&state.db, &filter, &page).await?,
    )))
}
