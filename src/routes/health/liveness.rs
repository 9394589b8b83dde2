//! `GET /health`: the process is alive and serving. Touches nothing else.

use actix_web::HttpResponse;
use serde_json::json;

#[utoipa::path(get, path = "/health", tag = "system", responses((status = 200, description = "The process is alive")))]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}
