//! Calls from the sites' own pages (the beacon, a quiz form): a browser's `Origin` must be the
//! front door's (sites served under `/sites/{slug}/`) or a site's domain, and the answer then
//! allows exactly that origin. Calls without an `Origin` (servers, n8n) pass.

use actix_web::HttpRequest;
use actix_web::HttpResponseBuilder;
use actix_web::http::header::{self, HeaderValue};

use crate::error::ApiError;
use crate::state::AppState;

/// The request's origin when it is one of the sites' (`None` without one); a foreign one is a
/// `403`.
pub fn checked(state: &AppState, request: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(origin) = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
    else {
        return Ok(None);
    };
    let own = url::Url::parse(&state.config.sites.public_url)
        .map(|url| url.origin().ascii_serialization())
        .unwrap_or_default();
    if origin == own || state.beacon.is_site_origin(origin) {
        Ok(Some(origin.to_owned()))
    } else {
        Err(ApiError::Forbidden(format!(
            "`{origin}` is not one of the sites' origins"
        )))
    }
}

/// Lets the browser read the answer on the page that asked.
pub fn allow(response: &mut HttpResponseBuilder, origin: Option<&str>) {
    if let Some(origin) = origin.and_then(|o| HeaderValue::from_str(o).ok()) {
        response.insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin));
        response.insert_header((header::VARY, "Origin"));
    }
}
