//! `GET /api/v1/websites?limit=&offset=&cursor=`: newest first; the seed's `limit`/`offset`
//! and the cursor both work.

use actix_web::web;
use empire_schema::models::Website;
use serde::Deserialize;

use super::view::WebsiteView;
use crate::error::ApiError;
use crate::extract::PageQuery;
use crate::routes::views::PageView;
use crate::state::AppState;

const MAX_OFFSET: i64 = 100_000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct WebsiteQuery {
    /// Items per page (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// Rows to skip (the seed's paging); prefer `cursor`.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 100000)]
    pub offset: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(max_length = 64)]
    pub cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/websites",
    tag = "websites",
    params(WebsiteQuery),
    responses((status = 200, description = "Websites, newest first", body = PageView<WebsiteView>))
)]
pub async fn list_websites(
    state: web::Data<AppState>,
    query: web::Query<WebsiteQuery>,
) -> Result<web::Json<PageView<WebsiteView>>, ApiError> {
    let query = query.into_inner();
    let offset = match query.offset.as_deref() {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|offset| (0..=MAX_OFFSET).contains(offset))
            .ok_or_else(|| {
                ApiError::field(
                    "offset",
                    format!("must be an integer from 0 to {MAX_OFFSET}"),
                )
            })?,
    };
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .page()?;
    Ok(web::Json(PageView::from_page(
        Website::list(&state.db, &page, offset).await?,
    )))
}
