//! The answer for paths no route matches: a problem+json 404.

use actix_web::{HttpRequest, HttpResponse};

use crate::error::ApiError;

pub async fn not_found(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!(
        "no route for {} {}",
        request.method(),
        request.path()
    )))
}
