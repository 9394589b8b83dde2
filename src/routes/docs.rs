//! `GET /openapi.json` and `GET /docs` (Swagger UI served from the binary, no internet needed).

use actix_web::{HttpResponse, http::header};

#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "system",
    responses((status = 200, description = "This OpenAPI 3.1 document", body = Object))
)]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(crate::openapi::document())
}

#[utoipa::path(
    get,
    path = "/docs",
    tag = "system",
    responses((
        status = 308,
        description = "Redirects to the interactive docs at /docs/ (text/html)",
        headers(("Location" = String, description = "`/docs/`"))
    ))
)]
pub async fn docs() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

/// The Swagger UI assets under `/docs/`, reading `/openapi.json`.
pub fn swagger_ui() -> utoipa_swagger_ui::SwaggerUi {
    utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
        .config(utoipa_swagger_ui::Config::new(["/openapi.json"]))
}
