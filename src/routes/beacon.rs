//! `POST /t/e`: a page view from a site's beacon (`{site, page, referrer}`). No cookie is read
//! or set and the visitor's address is not used: a view is checked (a known shape, a person's
//! browser, one of the sites' own origins) and queued for the batched writer. It answers `204`
//! whether or not the view counted, so the beacon learns nothing.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;

use crate::beacon::{View, bots};
use crate::error::ApiError;
use crate::metrics::BEACON_EVENTS;
use crate::routes::site_origin;
use crate::state::AppState;

/// The largest beacon body read.
const MAX_BODY: usize = 4 * 1024;
const MAX_PATH_CHARS: usize = 512;

/// The beacon also sends `referrer`; it is not kept (no referrer statistics yet), so it is not
/// read.
#[derive(Debug, Deserialize)]
struct Event {
    site: String,
    page: String,
}

#[utoipa::path(
    post,
    path = "/t/e",
    tag = "sites",
    request_body(
        content_type = "text/plain",
        description = "JSON `{\"site\": slug, \"page\": path, \"referrer\": url|null}` (sent as text/plain so browsers need no preflight; application/json is read too)",
    ),
    responses(
        (status = 204, description = "Taken (counted unless it came from a bot); CORS allows the sites' own origins",
            headers(("Access-Control-Allow-Origin" = String, description = "The request's origin, when it is one of the sites'"))),
        (status = 403, description = "The `Origin` is not one of the sites' (their domains or the front door)", body = crate::error::Problem),
        (status = 413, description = "Body over 4 KiB", body = crate::error::Problem),
        (status = 422, description = "Not a view: bad JSON, slug or path (named)", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn page_view(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let origin = site_origin::checked(&state, &request).inspect_err(|_| {
        metrics::counter!(BEACON_EVENTS, "outcome" => "refused").increment(1);
    })?;
    if body.len() > MAX_BODY {
        return Err(ApiError::PayloadTooLarge(format!(
            "a view is at most {MAX_BODY} bytes"
        )));
    }
    let event: Event = serde_json::from_slice(&body)
        .map_err(|error| ApiError::field("body", format!("not a view: {error}")))?;
    if event.site.is_empty()
        || event.site.len() > 64
        || !event
            .site
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(ApiError::field("site", "must be a site's slug"));
    }
    if !event.page.starts_with('/') || event.page.chars().count() > MAX_PATH_CHARS {
        return Err(ApiError::field(
            "page",
            format!("must be a path starting with `/`, at most {MAX_PATH_CHARS} characters"),
        ));
    }
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    if bots::is_bot(agent) {
        metrics::counter!(BEACON_EVENTS, "outcome" => "bot").increment(1);
    } else {
        state.beacon.count(View {
            slug: event.site,
            path: event.page,
            day: Utc::now().format("%Y-%m-%d").to_string(),
        });
    }
    let mut response = HttpResponse::NoContent();
    site_origin::allow(&mut response, origin.as_deref());
    Ok(response.finish())
}
