//! The links in a lead's confirm mail. `GET /leads/confirm?token=` is the double opt-in.
//! `GET /leads/unsubscribe?token=` shows a button that POSTs to the same URL; the `POST` (also
//! the one-click unsubscribe of RFC 8058 that mail clients send from `List-Unsubscribe-Post`)
//! unsubscribes and puts the address on the suppression list. Unsubscribing takes a POST so that
//! link scanners, which open every link of a mail, cannot unsubscribe anybody.

use actix_web::{HttpResponse, web};
use empire_schema::models::Lead;
use serde::Deserialize;
use serde_json::json;

use crate::auth::api_key;
use crate::error::ApiError;
use crate::metrics::LEADS;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TokenQuery {
    /// The token from the mail.
    #[param(min_length = 43, max_length = 43)]
    pub token: Option<String>,
}

/// The lead whose link carries this token, or a 404 that does not say why.
async fn lead(state: &AppState, query: &TokenQuery) -> Result<Lead, ApiError> {
    let token = query
        .token
        .as_deref()
        .filter(|t| {
            t.len() == 43
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .ok_or_else(|| {
            ApiError::field("token", "must be the 43-character token of the mail's link")
        })?;
    Lead::by_token(&state.db, &api_key::hash(token))
        .await?
        .ok_or_else(|| ApiError::NotFound("this link is not valid (any more)".into()))
}

fn page(title: &str, body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("cache-control", "no-store"))
        .insert_header(("referrer-policy", "no-referrer"))
        .body(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"robots\" content=\"noindex\"><title>{title}</title></head>\
             <body style=\"font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem\">\
             <h1>{title}</h1>{body}</body></html>"
        ))
}

#[utoipa::path(
    get,
    path = "/leads/confirm",
    tag = "leads",
    params(TokenQuery),
    responses(
        (status = 200, description = "Confirmed (a page saying so); opening it again changes nothing", content_type = "text/html"),
        (status = 404, description = "Unknown or expired link", body = crate::error::Problem),
        (status = 422, description = "No token, or not a token", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn confirm(
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, ApiError> {
    let lead = lead(&state, &query).await?;
    if lead.unsubscribed_at.is_some() {
        return Err(ApiError::NotFound(
            "this link is not valid (any more)".into(),
        ));
    }
    if lead.confirmed_at.is_none() {
        let hours = i64::from(state.config.leads.confirm_valid_hours);
        let expired = lead
            .consented_at
            .is_none_or(|at| at + chrono::Duration::hours(hours) < empire_schema::clock::now());
        if expired {
            return Err(ApiError::NotFound(
                "this link has expired; send the form again for a new one".into(),
            ));
        }
        let lead = Lead::confirm(&state.db, &lead.id).await?;
        metrics::counter!(LEADS, "outcome" => "confirmed").increment(1);
        crate::outbound::enqueue(
            &state.db,
            "lead.confirmed",
            &format!("lead.confirmed:{}", lead.id),
            json!({
                "id": lead.id,
                "email": lead.email,
                "website_id": lead.website_id,
                "persona": lead.persona,
                "funnel_stage": lead.funnel_stage,
            }),
        )
        .await;
    }
    Ok(page(
        "Subscription confirmed",
        "<p>Thank you: your address is confirmed. Every mail has a link to unsubscribe.</p>",
    ))
}

#[utoipa::path(
    get,
    path = "/leads/unsubscribe",
    tag = "leads",
    params(TokenQuery),
    responses(
        (status = 200, description = "A page with the button that unsubscribes (a POST)", content_type = "text/html"),
        (status = 404, description = "Unknown link", body = crate::error::Problem),
        (status = 422, description = "No token, or not a token", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn unsubscribe_page(
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, ApiError> {
    let lead = lead(&state, &query).await?;
    if lead.unsubscribed_at.is_some() {
        return Ok(page(
            "Unsubscribed",
            "<p>This address gets no more mail from us.</p>",
        ));
    }
    // The token was checked to be 43 URL-safe characters: safe inside the attribute.
    let token = query.token.as_deref().unwrap_or_default();
    Ok(page(
        "Unsubscribe",
        &format!(
            "<form method=\"post\" action=\"?token={token}\">\
             <p>Stop all mail to this address?</p><button type=\"submit\">Unsubscribe</button></form>"
        ),
    ))
}

#[utoipa::path(
    post,
    path = "/leads/unsubscribe",
    tag = "leads",
    params(TokenQuery),
    responses(
        (status = 200, description = "Unsubscribed, the address suppressed (a page saying so); again changes nothing", content_type = "text/html"),
        (status = 404, description = "Unknown link", body = crate::error::Problem),
        (status = 422, description = "No token, or not a token", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, ApiError> {
    let lead = lead(&state, &query).await?;
    if lead.unsubscribed_at.is_none() {
        Lead::unsubscribe(&state.db, &lead.id).await?;
        metrics::counter!(LEADS, "outcome" => "unsubscribed").increment(1);
    }
    Ok(page(
        "Unsubscribed",
        "<p>This address gets no more mail from us.</p>",
    ))
}
