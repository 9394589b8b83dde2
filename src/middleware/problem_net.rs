//! Any 4xx/5xx that is not JSON (from actix itself or an extractor: plain text or empty) is
//! rewritten as problem+json, so clients see a single error format.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{CONTENT_TYPE, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use serde_json::json;

use crate::error::PROBLEM_JSON;

pub fn to_problem<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Our handlers answer errors in JSON already (problem+json, or a readiness report).
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|value| value.to_str().is_ok_and(|mime| mime.contains("json")));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let title = status.canonical_reason().unwrap_or("Error");
    let body = json!({
        "type": format!("urn:empire:problem:http-{}", status.as_u16()),
        "title": title,
        "status": status.as_u16(),
        "detail": title,
    });
    let (request, mut response) = response.into_parts();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    let response = response.set_body(BoxBody::new(body.to_string()));
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, response).map_into_right_body(),
    ))
}
