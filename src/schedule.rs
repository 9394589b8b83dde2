//! Work the node asks for on a clock: the networks' books (`monetization/sync_networks`) every
//! `[integrations] sync_every_minutes`. Every node asks, with an idempotency key naming the
//! period, so a cluster runs one sync per period; the task itself is durable and retried like any
//! other.

use std::time::Duration;

use empire_actors::kinds::AgentId;
use empire_actors::runtime::{Runtime, TaskRequest};
use empire_schema::models::Created;
use serde_json::json;

use crate::config::IntegrationsConfig;

/// How far back each scheduled sync looks.
const SYNC_DAYS: i64 = 31;

/// Starts the schedule on the current runtime (nothing when no network API is configured).
pub fn start(config: &IntegrationsConfig, runtime: &Runtime) {
    let every = config.sync_every_minutes;
    let configured = !config.awin.api_token.is_empty() || !config.digistore24.api_key.is_empty();
    if every == 0 || !configured {
        return;
    }
    let runtime = runtime.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(every * 60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            let period =
                chrono::Utc::now().timestamp() / 60 / i64::try_from(every).unwrap_or(i64::MAX);
            let mut request = TaskRequest::new(
                AgentId::Monetization,
                "sync_networks",
                json!({ "days": SYNC_DAYS }),
            );
            request.idempotency_key = Some(format!("schedule:sync_networks:{every}:{period}"));
            match runtime.submit(request).await {
                Ok(Created::New(task)) => {
                    tracing::info!(task = %task.id, "networks sync scheduled")
                }
                Ok(Created::Existing(_)) => {}
                Err(error) => tracing::warn!(%error, "networks sync not scheduled"),
            }
        }
    });
}
