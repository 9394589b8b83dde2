//! Which runtime events become webhook events: a task that finished (`task.finished`: succeeded,
//! dead or cancelled) and a site that went live (`site.published`, after a successful site
//! workflow). Every node listens to the cluster's bus, so each event may be queued by several
//! nodes; its key makes it one delivery per subscription. The bus carries every task's events and
//! most clusters have no subscriber, so which event types anyone listens to is read at most once
//! a second (a new subscription hears events from about a second on).

use empire_actors::plumbing::event::Event;
use std::time::{Duration, Instant};

use empire_schema::models::{Subscription, Website};
use empire_schema::{Db, WebsiteStatus, WorkflowStatus};
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::enqueue;
use empire_actors::runtime::Runtime;

/// Site workflows whose success may have published a site.
const SITE_WORKFLOWS: [&str; 2] = ["website_pipeline", "website_rebuild"];

/// How long the subscriptions read are trusted.
const LISTENERS_FRESH_FOR: Duration = Duration::from_secs(1);

/// The event types of the enabled subscriptions, as last read.
#[derive(Default)]
struct Listeners {
    read_at: Option<Instant>,
    events: Vec<Vec<String>>,
}

impl Listeners {
    async fn any(&mut self, db: &Db) -> bool {
        if self
            .read_at
            .is_none_or(|at| at.elapsed() >= LISTENERS_FRESH_FOR)
        {
            match Subscription::list(db).await {
                Ok(all) => {
                    self.events = all
                        .into_iter()
                        .filter(|s| s.disabled_at.is_none())
                        .map(|s| s.events.0)
                        .collect();
                    self.read_at = Some(Instant::now());
                }
                Err(error) => tracing::warn!(%error, "webhooks: subscriptions not read"),
            }
        }
        !self.events.is_empty()
    }

    fn wants(&self, event_type: &str) -> bool {
        self.events
            .iter()
            .any(|events| events.iter().any(|e| e == "*" || e == event_type))
    }
}

/// Listens to the bus forever (subscribing again after a gap).
pub(super) async fn run(db: Db, runtime: Runtime) {
    let mut listeners = Listeners::default();
    loop {
        let Some(subscription) = runtime.subscribe(None).await else {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        let mut live = subscription.live;
        loop {
            match live.recv().await {
                Ok(stamped) => {
                    if !listeners.any(&db).await {
                        continue;
                    }
                    if let Some((event_type, key, data)) = webhook_event(&db, &stamped.event).await
                        && listeners.wants(event_type)
                    {
                        enqueue(&db, event_type, &key, data).await;
                    }
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "webhooks: events missed (the bus ran ahead)");
                }
                Err(RecvError::Closed) => break,
            }
        }
    }
}

async fn webhook_event(db: &Db, event: &Event) -> Option<(&'static str, String, Value)> {
    let finished = |task_id: &str, agent: &str, status: &str, website_id: &Option<String>| {
        Some((
            "task.finished",
            format!("task.finished/{task_id}/{status}"),
            json!({"task_id": task_id, "agent": agent, "status": status, "website_id": website_id}),
        ))
    };
    match event {
        Event::TaskSucceeded {
            task_id,
            agent,
            website_id,
            ..
        } => finished(task_id, agent.as_str(), "succeeded", website_id),
        Event::TaskDead {
            task_id,
            agent,
            website_id,
            ..
        } => finished(task_id, agent.as_str(), "dead", website_id),
        Event::TaskCancelled {
            task_id,
            agent,
            website_id,
        } => finished(task_id, agent.as_str(), "cancelled", website_id),
        Event::WorkflowProgress {
            kind,
            status: WorkflowStatus::Succeeded,
            website_id: Some(website_id),
            ..
        } if SITE_WORKFLOWS.contains(&kind.as_str()) => {
            let site = Website::get(db, website_id).await.ok()?;
            let build_id = site.published_build_id.clone()?;
            (site.status == WebsiteStatus::Published).then(|| {
                (
                    "site.published",
                    format!("site.published/{website_id}/{build_id}"),
                    json!({"website_id": website_id, "slug": site.slug, "build_id": build_id, "domain": site.domain}),
                )
            })
        }
        _ => None,
    }
}
