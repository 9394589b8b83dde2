//! `/api/v1/websites`: generate a site, read and change it, its pages and builds, rebuild,
//! publish and roll back.

pub mod builds;
pub mod delete;
pub mod generate;
pub mod get;
pub mod list;
pub mod page_get;
pub mod page_update;
pub mod pages;
pub mod publish;
pub mod rebuild;
pub mod request;
pub mod rollback;
pub mod update;
pub mod view;

use empire_schema::StoreError;
use empire_schema::models::Website;

use crate::error::ApiError;
use crate::state::AppState;

/// The website `id`, or a 404 naming it.
pub async fn load(state: &AppState, id: &str) -> Result<Website, ApiError> {
    match Website::get(&state.db, id).await {
        Ok(website) => Ok(website),
        Err(StoreError::NotFound) => Err(ApiError::NotFound(format!("no website `{id}`"))),
        Err(error) => Err(error.into()),
    }
}
