//! `/webhooks/*`: what the affiliate networks push to us about sales (each route proves the
//! sender its own way: Digistore24 signs, AWIN only knows a secret path; a notice is recorded
//! once however often it is resent, and answered `OK`), and n8n's hooks into the runtime.

pub mod awin;
pub mod digistore24;
pub mod n8n;
pub mod subscriptions;

use empire_actors::monetization::notifications::{self, Notice, Outcome};
use empire_schema::models::Recorded;
use empire_schema::types::Network;

use crate::error::ApiError;
use crate::metrics::NETWORK_NOTIFICATIONS;
use crate::state::AppState;

/// The body every network expects from a receiver that took the notice.
pub const OK: &str = "OK";

/// Records `notice` and counts the outcome.
async fn record(state: &AppState, network: Network, notice: &Notice) -> Result<(), ApiError> {
    let outcome = notifications::record(&state.db, network, notice).await?;
    let label = match outcome {
        Outcome::Sale(recorded) => match *recorded {
            Recorded::Applied(sale) => {
                tracing::info!(
                    network = network.as_str(),
                    external_id = %sale.external_id,
                    status = sale.status.as_str(),
                    website_id = sale.website_id.as_deref().unwrap_or(""),
                    "sale recorded"
                );
                "applied"
            }
            Recorded::Behind(_) => "behind",
            Recorded::Repeated => "repeated",
        },
        Outcome::Noted(true) => "noted",
        Outcome::Noted(false) => "repeated",
    };
    count(network, label);
    Ok(())
}

fn count(network: Network, outcome: &'static str) {
    metrics::counter!(NETWORK_NOTIFICATIONS, "network" => network.as_str(), "outcome" => outcome)
        .increment(1);
}

/// `application/x-www-form-urlencoded` pairs; a key sent twice keeps its last value.
pub fn form_pairs(body: &[u8]) -> std::collections::BTreeMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn plain_ok() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(OK)
}
