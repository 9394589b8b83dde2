//! `GET /metrics`: the Prometheus text exposition, on the main listener or, when
//! `http.metrics_addr` is set, only on that address.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;
use crate::state::AppState;

/// App data present only in the server bound to `http.metrics_addr`.
#[derive(Debug, Clone, Copy)]
pub struct MetricsListener;

#[utoipa::path(
    get,
    path = "/metrics",
    tag = "system",
    responses(
        (status = 200, description = "Prometheus text exposition", content_type = "text/plain; version=0.0.4"),
        (status = 404, description = "Served on `http.metrics_addr`, not on this listener"),
    )
)]
pub async fn metrics(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let own_listener = request.app_data::<MetricsListener>().is_some();
    if !state.config.http.metrics_addr.trim().is_empty() && !own_listener {
        return Err(ApiError::NotFound(format!(
            "no route for {} {}",
            request.method(),
            request.path()
        )));
    }
    let body = crate::metrics::render(&state.metrics, &state.db);
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body))
}
