//! `POST /webhooks/awin/{token}`: AWIN's transaction notifications. AWIN signs nothing, so the
//! path carries the configured unguessable token (compared in constant time); any other path
//! is a plain 404. Each push is a new pending sale, kept once per transaction id.

use actix_web::{HttpRequest, HttpResponse, web};
use empire_actors::monetization::notifications::{NoticeError, awin};
use empire_schema::types::Network;
use subtle::ConstantTimeEq;

use super::{count, form_pairs, plain_ok, record};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/webhooks/awin/{token}",
    tag = "webhooks",
    params(("token" = String, Path, description = "`integrations.awin.notification_token`")),
    request_body(
        content_type = "application/x-www-form-urlencoded",
        description = "`AwinTransactionPush`: the transaction as a JSON string (`transactionId`, `commission`, `transactionAmount`, `transactionCurrency`, `transactionDate`, `clickRef`, …); a raw JSON body is accepted too",
    ),
    responses(
        (status = 200, description = "Taken (or seen before): `OK`", content_type = "text/plain", body = String),
        (status = 404, description = "Not the configured token, or notifications are off", body = crate::error::Problem),
        (status = 422, description = "A field the sale needs is missing or invalid (named)", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn awin_notification(
    state: web::Data<AppState>,
    token: web::Path<String>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let expected = state.config.integrations.awin.notification_token.expose();
    let known = !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(token.as_bytes()));
    if !known {
        count(Network::Awin, "forged");
        return Err(ApiError::NotFound("no such webhook".into()));
    }
    let is_form = request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    let json = if is_form {
        form_pairs(&body)
            .remove(awin::FORM_FIELD)
            .ok_or_else(|| ApiError::field(awin::FORM_FIELD, "is missing"))?
    } else {
        String::from_utf8_lossy(&body).into_owned()
    };
    let notice = awin::read(&json).map_err(|error| {
        count(Network::Awin, "unreadable");
        let (NoticeError::Missing(field) | NoticeError::Invalid(field)) = error;
        ApiError::field(field, error.to_string())
    })?;
    record(&state, Network::Awin, &notice).await?;
    Ok(plain_ok())
}
