//! The answer when no route matched: 405 with `Allow` when the path exists for other
//! methods, else 404; both problem+json.

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, HttpResponse};

use super::ROUTES;
use crate::error::ApiError;

pub async fn not_found(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    let path = request.path();
    let allowed: Vec<&str> = ROUTES
        .iter()
        .filter(|route| ResourceDef::new(route.path).is_match(path))
        .map(|route| route.method.as_str())
        .collect();
    if allowed.is_empty() {
        return Err(ApiError::NotFound(format!(
            "no route for {} {path}",
            request.method()
        )));
    }
    Err(ApiError::MethodNotAllowed {
        detail: format!(
            "{} is not allowed on {path}; use {}",
            request.method(),
            allowed.join(", ")
        ),
        allow: allowed.join(", "),
    })
}
