//! `POST /webhooks/digistore24`: Digistore24's IPN. Only a notice signed with the configured
//! passphrase is taken; payments, refunds and chargebacks move the order's sales forward, every
//! other event is acknowledged, and a resent notice changes nothing.

use actix_web::{HttpResponse, web};
use empire_actors::monetization::notifications::{NoticeError, digistore24};
use empire_schema::types::Network;

use super::{count, form_pairs, plain_ok, record};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/webhooks/digistore24",
    tag = "webhooks",
    request_body(
        content_type = "application/x-www-form-urlencoded",
        description = "The IPN's fields (`event`, `order_id`, `amount_affiliate`, `currency`, `click_id`, …) and `sha_sign`",
    ),
    responses(
        (status = 200, description = "Taken (or seen before): `OK`", content_type = "text/plain", body = String),
        (status = 403, description = "`sha_sign` is missing or wrong", body = crate::error::Problem),
        (status = 422, description = "Signed, but a field the sale needs is missing or invalid (named)", body = crate::error::Problem),
        (status = 503, description = "No IPN passphrase is configured (`integrations.digistore24.ipn_passphrase`)", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn digistore24_ipn(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let passphrase = &state.config.integrations.digistore24.ipn_passphrase;
    if passphrase.is_empty() {
        return Err(ApiError::Unavailable {
            detail: "the Digistore24 IPN is off: set integrations.digistore24.ipn_passphrase"
                .into(),
            retry_after_s: 3600,
        });
    }
    let params = form_pairs(&body);
    if !digistore24::verify(&params, passphrase.expose()) {
        count(Network::Digistore24, "forged");
        tracing::warn!("Digistore24 IPN with a missing or wrong sha_sign refused");
        return Err(ApiError::Forbidden(
            "sha_sign is missing or does not match the IPN passphrase".into(),
        ));
    }
    let notice = digistore24::read(&params).map_err(|error| {
        count(Network::Digistore24, "unreadable");
        let (NoticeError::Missing(field) | NoticeError::Invalid(field)) = error;
        ApiError::field(field, error.to_string())
    })?;
    record(&state, Network::Digistore24, &notice).await?;
    Ok(plain_ok())
}
