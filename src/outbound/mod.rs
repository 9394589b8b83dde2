//! Outbound event webhooks (Standard Webhooks) for n8n and anything else: subscriptions name
//! a URL and the events they want (`task.finished`, `site.published`, `conversion.recorded`,
//! `lead.created`, `lead.confirmed`, or `*`); each event is written to an outbox table first and delivered from there, signed, with
//! retries that survive restarts ([`deliver`]).

pub mod deliver;
mod events;
pub mod signing;

use empire_actors::runtime::Runtime;
use empire_schema::Db;
use empire_schema::models::Delivery;
use serde_json::Value;

use crate::config::IntegrationsConfig;

/// The event types a subscription may name.
pub const EVENT_TYPES: [&str; 5] = [
    "task.finished",
    "site.published",
    "conversion.recorded",
    "lead.created",
    "lead.confirmed",
];

/// Starts the deliverer and the bus listener on the current runtime.
pub fn start(db: &Db, config: &IntegrationsConfig, runtime: &Runtime) -> anyhow::Result<()> {
    let client = deliver::client(&config.webhooks)?;
    tokio::spawn(deliver::run(db.clone(), config.clone(), client));
    tokio::spawn(events::run(db.clone(), runtime.clone()));
    Ok(())
}

/// Queues `data` as a `type` event for every subscription to it; `key` names the event so it is
/// queued once. Failures are logged: an event is never worth failing a request over.
pub async fn enqueue(db: &Db, event_type: &str, key: &str, data: Value) {
    if let Err(error) = Delivery::enqueue_event(db, event_type, key, data).await {
        tracing::warn!(%error, event_type, key, "webhook event not queued");
    }
}
