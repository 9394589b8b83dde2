//! Leads: the public capture from a site's quiz form (`POST /api/v1/leads`), the links in the
//! confirm mail (`/leads/confirm`, `/leads/unsubscribe`), and the operator's list, CSV export,
//! stage changes and erasure.

pub mod capture;
pub mod delete;
pub mod export;
pub mod links;
pub mod list;
pub mod update;
pub mod view;

use empire_schema::StoreError;
use empire_schema::models::Lead;

use crate::error::ApiError;
use crate::state::AppState;

/// The lead, or a 404 naming it.
pub async fn load(state: &AppState, id: &str) -> Result<Lead, ApiError> {
    match Lead::get(&state.db, id).await {
        Ok(lead) => Ok(lead),
        Err(StoreError::NotFound) => Err(ApiError::NotFound(format!("no lead `{id}`"))),
        Err(error) => Err(error.into()),
    }
}
