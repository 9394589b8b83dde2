//! `POST /api/v1/leads`: an address from a site's quiz form, with the answers and the consent
//! text the visitor agreed to. Public and rate-limited per address like every anonymous call;
//! from a browser only the sites' own origins may send it (like the beacon, `text/plain` is
//! read too, so no preflight is needed). The answer is the same whether the address is new,
//! known, confirmed or suppressed, so the form tells nobody who is subscribed.
//!
//! A new (or not yet confirmed) lead is mailed a confirm link, at most once per
//! `[leads] resend_after_minutes` per address and never to a suppressed one; confirmed and
//! unsubscribed leads only have their answers updated.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use empire_schema::models::{EmailMessage, Lead, NewLead, Suppression, Website};
use empire_schema::{StoreError, clock};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::auth::api_key;
use crate::config::looks_like_address;
use crate::email::{self, OPT_IN};
use crate::error::ApiError;
use crate::metrics::LEADS;
use crate::routes::site_origin;
use crate::state::AppState;

const MAX_BODY: usize = 16 * 1024;
const MAX_CONSENT_CHARS: usize = 2_000;
const MAX_ANSWERS: usize = 50;
const MAX_ANSWERS_BYTES: usize = 8 * 1024;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLeadRequest {
    #[schema(example = "reader@example.com")]
    pub email: String,
    /// The quiz's answers by question key: text, numbers, true/false or lists of them.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub quiz_answers: Option<Value>,
    /// The consent text shown beside the form's checkbox, exactly as the visitor saw it.
    #[schema(
        example = "Yes, send me the buying guide and occasional tips. I can unsubscribe at any time."
    )]
    pub consent: String,
    /// The website whose form it is.
    #[schema(format = Uuid)]
    pub website_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadReceipt {
    pub message: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/leads",
    tag = "leads",
    request_body(content = NewLeadRequest, content_type = "application/json",
        description = "Sent as application/json, or as text/plain from a browser (no preflight)"),
    responses(
        (status = 202, description = "Taken; a confirm link is mailed when one is due",
            body = LeadReceipt,
            headers(("Access-Control-Allow-Origin" = String, description = "The request's origin, when it is one of the sites'"))),
        (status = 403, description = "The `Origin` is not one of the sites'", body = crate::error::Problem),
        (status = 413, description = "Body over 16 KiB", body = crate::error::Problem),
        (status = 415, description = "Neither JSON nor text/plain", body = crate::error::Problem),
        (status = 422, description = "A bad address, missing consent, answers that are not an object, an unknown website (named)", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn capture_lead(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let origin = site_origin::checked(&state, &request)?;
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/json")
        && !essence.eq_ignore_ascii_case("text/plain")
    {
        return Err(ApiError::UnsupportedMediaType(
            "send the lead as application/json (or text/plain)".into(),
        ));
    }
    if body.len() > MAX_BODY {
        return Err(ApiError::PayloadTooLarge(format!(
            "a lead is at most {MAX_BODY} bytes"
        )));
    }
    let (new, site_name) = checked(
        &state,
        crate::extract::json::parse::<NewLeadRequest>(&body)?,
    )
    .await?;
    capture(&state, new, &site_name).await?;
    let mut response = HttpResponse::Accepted();
    site_origin::allow(&mut response, origin.as_deref());
    Ok(response.json(LeadReceipt {
        message: "Thank you. If the address is right, a confirmation link is on its way.".into(),
    }))
}

/// The request checked and normalised, with the persona read from the answers; and the name the
/// mail signs with (the website's, else the sender's).
async fn checked(state: &AppState, request: NewLeadRequest) -> Result<(NewLead, String), ApiError> {
    let email = request.email.trim().to_lowercase();
    if !looks_like_address(&email) {
        return Err(ApiError::field("email", "must be an email address"));
    }
    let consent = request.consent.trim().to_owned();
    if consent.is_empty() {
        return Err(ApiError::field(
            "consent",
            "the consent text the visitor agreed to is required",
        ));
    }
    if consent.chars().count() > MAX_CONSENT_CHARS {
        return Err(ApiError::field(
            "consent",
            format!("at most {MAX_CONSENT_CHARS} characters"),
        ));
    }
    let answers = request.quiz_answers.unwrap_or_else(|| json!({}));
    let Some(object) = answers.as_object() else {
        return Err(ApiError::field(
            "quiz_answers",
            "must be an object of answers by question",
        ));
    };
    if object.len() > MAX_ANSWERS || answers.to_string().len() > MAX_ANSWERS_BYTES {
        return Err(ApiError::field(
            "quiz_answers",
            format!("at most {MAX_ANSWERS} answers and {MAX_ANSWERS_BYTES} bytes"),
        ));
    }
    let site_name = match &request.website_id {
        Some(website) => match Website::get(&state.db, website).await {
            Ok(website) => website.name,
            Err(StoreError::NotFound) => {
                return Err(ApiError::field("website_id", "no such website"));
            }
            Err(error) => return Err(error.into()),
        },
        None => state.config.integrations.email.from_name.clone(),
    };
    let lead = NewLead {
        persona: Some(state.config.leads.persona(&answers)),
        email,
        quiz_answers: answers,
        website_id: request.website_id,
        consent_text: consent,
    };
    Ok((lead, site_name))
}

/// Stores the lead and, when one is due, queues its confirm mail.
async fn capture(state: &AppState, new: NewLead, site_name: &str) -> Result<(), ApiError> {
    let db = &state.db;
    let existing = Lead::find(db, &new.email, new.website_id.as_deref()).await?;
    let settled = existing
        .as_ref()
        .is_some_and(|lead| lead.confirmed_at.is_some() || lead.unsubscribed_at.is_some());
    let since = clock::now()
        - chrono::Duration::minutes(i64::from(state.config.leads.resend_after_minutes));
    let mail_due = !settled
        && !Suppression::contains(db, &new.email).await?
        && !EmailMessage::sent_since(db, &new.email, OPT_IN, None, since).await?;
    let token = mail_due.then(new_token);
    let (lead, fresh) = Lead::capture(db, new, token.as_deref().map(api_key::hash)).await?;
    metrics::counter!(LEADS, "outcome" => "captured").increment(1);
    if let Some(token) = token {
        let public_url = &state.config.sites.public_url;
        let message = email::opt_in(db, public_url, &lead, &token, site_name).await?;
        Lead::opt_in_sent(db, &lead.id, &message.id).await?;
    }
    if fresh {
        crate::outbound::enqueue(
            db,
            "lead.created",
            &format!("lead.created:{}", lead.id),
            json!({
                "id": lead.id,
                "website_id": lead.website_id,
                "persona": lead.persona,
                "funnel_stage": lead.funnel_stage,
            }),
        )
        .await;
    }
    Ok(())
}

/// 32 random bytes, URL-safe: the secret in a lead's confirm and unsubscribe links.
fn new_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}
