//! `GET /go/{code}`: the front door of every monetised link on the built sites. It records the
//! click (site, page, offer, referrer, time; never the visitor's address) and redirects to the
//! network's tracking link from the store; a code the store does not know is a 404, so the
//! route can never be made to redirect anywhere else.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use empire_actors::monetization::link_code;
use empire_schema::StoreError;
use empire_schema::models::{Click, Link};

use crate::error::ApiError;
use crate::metrics::LINK_CLICKS;
use crate::state::AppState;

/// Longest referrer kept; longer ones are cut at a character boundary.
pub const MAX_REFERRER_CHARS: usize = 512;

#[utoipa::path(
    get,
    path = "/go/{code}",
    tag = "links",
    params(("code" = String, Path, description = "The link's code: 12 to 64 of `A-Z a-z 0-9 - _`")),
    responses(
        (
            status = 302,
            description = "The click is recorded; redirects to the network's tracking link with the click reference",
            headers(
                ("Location" = String, description = "The tracking link: `https://www.awin1.com/cread.php?awinmid=…&awinaffid=…&clickref={code}&ued=…` (AWIN) or `https://www.digistore24.com/redir/{product}/{affiliate}?cid={code}` (Digistore24)"),
                ("Cache-Control" = String, description = "`no-store`: every click reaches the server"),
                ("Referrer-Policy" = String, description = "`no-referrer`"),
                ("X-Robots-Tag" = String, description = "`noindex, nofollow`")
            )
        ),
        (status = 404, description = "No link has this code")
    )
)]
#[tracing::instrument(skip(state, request))]
pub async fn go(
    state: web::Data<AppState>,
    code: web::Path<String>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let unknown = || {
        metrics::counter!(LINK_CLICKS, "outcome" => "unknown").increment(1);
        ApiError::NotFound("no link has this code".into())
    };
    if !link_code::is_code(&code) {
        return Err(unknown());
    }
    let link = match Link::get(&state.db, &code).await {
        Ok(link) => link,
        Err(StoreError::NotFound) => return Err(unknown()),
        Err(error) => return Err(error.into()),
    };
    // Only an absolute http(s) address leaves here, whatever a row holds.
    let target = url::Url::parse(&link.target_url)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .and_then(|url| HeaderValue::from_str(url.as_str()).ok());
    let Some(location) = target else {
        tracing::warn!(code = %link.code, "link target is not an http(s) URL");
        return Err(unknown());
    };
    let referrer = request
        .headers()
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.chars().take(MAX_REFERRER_CHARS).collect::<String>())
        .filter(|value| !value.is_empty());
    // The visitor still reaches the offer when the click cannot be stored; the loss is counted.
    let outcome = match Click::record(&state.db, &link, referrer).await {
        Ok(_) => "redirected",
        Err(error) => {
            tracing::warn!(code = %link.code, error = %error, "click not recorded");
            "unrecorded"
        }
    };
    metrics::counter!(LINK_CLICKS, "outcome" => outcome).increment(1);
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header(("X-Robots-Tag", "noindex, nofollow"))
        .finish())
}
