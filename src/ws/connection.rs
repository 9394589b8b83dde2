//! One live socket: the first frames, missed events, then the live feed through a bounded
//! queue to a writer task. A queue that stays full, or a feed that falls too far behind, means
//! the client is too slow: it is closed with 1013 and nobody else waits for it. Pings keep the
//! link alive; silence closes it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_ws::{AggregatedMessage, CloseCode, CloseReason, MessageStream, Session};
use bytestring::ByteString;
use empire_actors::runtime::Stamped;
use serde::Deserialize;
use tokio::sync::{broadcast, mpsc};

use super::WsConfig;
use super::slots::Slot;

/// What a connection starts with.
pub struct Feed {
    /// Frames sent first (a snapshot, or a resync and a snapshot).
    pub first: Vec<String>,
    /// Events the client missed, when it resumed.
    pub replay: Vec<Arc<Stamped>>,
    pub live: broadcast::Receiver<Arc<Stamped>>,
}

/// Which events a client wants; empty sets mean everything.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Set by the route (`/ws/agents/{agent_id}`); a client cannot widen it.
    pub fixed_agent: Option<String>,
    pub agents: HashSet<String>,
    pub events: HashSet<String>,
    pub websites: HashSet<String>,
}

/// A message a client may send.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ClientFrame {
    Subscribe {
        #[serde(default)]
        agents: Vec<String>,
        #[serde(default)]
        events: Vec<String>,
        #[serde(default)]
        websites: Vec<String>,
    },
    Ping,
}

enum Outgoing {
    Text(ByteString),
    Event(Arc<Stamped>),
    Ping,
    Pong(actix_web::web::Bytes),
}

pub fn spawn(
    session: Session,
    stream: MessageStream,
    feed: Feed,
    filter: Filter,
    config: WsConfig,
    slot: Slot,
) {
    actix_web::rt::spawn(run(session, stream, feed, filter, config, slot));
}

async fn run(
    session: Session,
    stream: MessageStream,
    mut feed: Feed,
    mut filter: Filter,
    config: WsConfig,
    _slot: Slot,
) {
    let (queue, outgoing) = mpsc::channel(config.send_queue_frames.max(1));
    let writer = actix_web::rt::spawn(write(session.clone(), outgoing));
    let mut stream = stream
        .max_frame_size(config.max_frame_bytes)
        .aggregate_continuations();
    let mut ping = tokio::time::interval(Duration::from_millis(config.ping_interval_ms.max(1)));
    let idle_timeout = Duration::from_millis(config.idle_timeout_ms);
    let patience = Duration::from_millis(config.slow_consumer_ms);
    let mut last_heard = Instant::now();

    let mut reason = None;
    for frame in feed.first.drain(..) {
        if queue.try_send(Outgoing::Text(frame.into())).is_err() {
            reason = Some(too_slow());
        }
    }
    for event in feed.replay.drain(..) {
        if filter.admits(&event) && queue.try_send(Outgoing::Event(event)).is_err() {
            reason = Some(too_slow());
        }
    }
    let reason = match reason {
        Some(reason) => Some(reason),
        None => loop {
            tokio::select! {
                event = feed.live.recv() => match event {
                    Ok(event) => {
                        if filter.admits(&event) && queue.send_timeout(Outgoing::Event(event), patience).await.is_err() {
                            break Some(too_slow());
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => break Some(too_slow()),
                    Err(broadcast::error::RecvError::Closed) => {
                        break Some(CloseReason { code: CloseCode::Restart, description: Some("the server is restarting".into()) });
                    }
                },
                message = stream.recv() => {
                    last_heard = Instant::now();
                    match message {
                        Some(Ok(AggregatedMessage::Text(text))) => {
                            if let Some(reply) = filter.command(&text)
                                && queue.try_send(Outgoing::Text(reply.into())).is_err()
                            {
                                break Some(too_slow());
                            }
                        }
                        Some(Ok(AggregatedMessage::Ping(bytes))) => {
                            let _ = queue.try_send(Outgoing::Pong(bytes));
                        }
                        Some(Ok(AggregatedMessage::Pong(_))) => {}
                        Some(Ok(AggregatedMessage::Binary(_))) => {
                            break Some(CloseReason { code: CloseCode::Unsupported, description: Some("send JSON text frames".into()) });
                        }
                        Some(Ok(AggregatedMessage::Close(_))) | None => break None,
                        Some(Err(error)) => {
                            break Some(CloseReason { code: CloseCode::Protocol, description: Some(error.to_string()) });
                        }
                    }
                }
                _ = ping.tick() => {
                    if last_heard.elapsed() > idle_timeout {
                        break Some(CloseReason { code: CloseCode::Normal, description: Some("idle timeout".into()) });
                    }
                    let _ = queue.try_send(Outgoing::Ping);
                }
            }
        },
    };
    writer.abort();
    if let Some(reason) = &reason {
        tracing::info!(code = ?reason.code, reason = reason.description.as_deref().unwrap_or(""), "closing a socket");
    }
    let _ = session.close(reason).await;
}

async fn write(mut session: Session, mut outgoing: mpsc::Receiver<Outgoing>) {
    while let Some(frame) = outgoing.recv().await {
        let sent = match frame {
            Outgoing::Text(text) => session.text(text).await,
            Outgoing::Event(event) => match ByteString::try_from(event.json.clone()) {
                Ok(text) => session.text(text).await,
                Err(_) => Ok(()),
            },
            Outgoing::Ping => session.ping(b"").await,
            Outgoing::Pong(bytes) => session.pong(&bytes).await,
        };
        if sent.is_err() {
            return;
        }
    }
}

fn too_slow() -> CloseReason {
    CloseReason {
        code: CloseCode::Again,
        description: Some("consumer too slow; reconnect with last_event_id".into()),
    }
}

impl Filter {
    /// Metrics frames always pass; other events by agent, type and website. Task and
    /// workflow events name the website of their input when it has one (`Event::website`); with
    /// a website filter set, only events naming one of those websites pass, so agent status
    /// and node events, and tasks for no website, are held back.
    fn admits(&self, event: &Stamped) -> bool {
        let kind = event.event.type_name();
        if kind == "metrics" {
            return self.fixed_agent.is_none();
        }
        let agent = event.event.agent();
        let agent_ok = |agents: &HashSet<String>| {
            agents.is_empty() || agent.is_some_and(|agent| agents.contains(agent))
        };
        self.fixed_agent
            .as_deref()
            .is_none_or(|fixed| agent == Some(fixed))
            && agent_ok(&self.agents)
            && (self.events.is_empty() || self.events.contains(kind))
            && (self.websites.is_empty()
                || event
                    .event
                    .website()
                    .is_some_and(|website| self.websites.contains(website)))
    }

    /// Applies a client message; returns a frame to answer with, if any.
    fn command(&mut self, text: &str) -> Option<String> {
        match serde_json::from_str::<ClientFrame>(text) {
            Ok(ClientFrame::Subscribe { agents, events, websites }) => {
                self.agents = agents.into_iter().collect();
                self.events = events.into_iter().collect();
                self.websites = websites.into_iter().collect();
                Some(serde_json::json!({"type": "subscribed", "ts": chrono::Utc::now()}).to_string())
            }
            Ok(ClientFrame::Ping) => Some(serde_json::json!({"type": "pong", "ts": chrono::Utc::now()}).to_string()),
            Err(error) => Some(serde_json::json!({"type": "error", "ts": chrono::Utc::now(), "detail": error.to_string()}).to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use empire_actors::runtime::Event;

    use super::*;

    fn stamped(event: Event) -> Stamped {
        Stamped {
            id: 1,
            ts: chrono::Utc::now(),
            event,
            json: Default::default(),
        }
    }

    fn queued(agent: &str, website_id: Option<&str>) -> Stamped {
        stamped(Event::TaskQueued {
            task_id: "t".into(),
            agent: agent.into(),
            kind: "k".into(),
            workflow_id: None,
            website_id: website_id.map(str::to_owned),
        })
    }

    fn subscribed(frame: serde_json::Value) -> Filter {
        let mut filter = Filter::default();
        let reply = filter.command(&frame.to_string()).unwrap_or_default();
        assert!(reply.contains("\"subscribed\""), "{reply}");
        filter
    }

    #[test]
    fn a_website_filter_passes_only_events_naming_one_of_its_websites() {
        let filter = subscribed(serde_json::json!({"type": "subscribe", "websites": ["a", "c"]}));
        assert!(filter.admits(&queued("seo_optimizer", Some("a"))));
        assert!(filter.admits(&queued("monetization", Some("c"))));
        assert!(!filter.admits(&queued("seo_optimizer", Some("b"))));
        assert!(!filter.admits(&queued("seo_optimizer", None)));
        let status = Event::AgentStatus {
            agent: "seo_optimizer".into(),
            instance: "i".into(),
            status: "busy".into(),
        };
        assert!(!filter.admits(&stamped(status)));
        let metrics = Event::Metrics {
            agents: BTreeMap::new(),
            tasks_finished_per_minute: Vec::new(),
        };
        assert!(filter.admits(&stamped(metrics)));
    }

    #[test]
    fn website_agent_and_type_filters_all_apply() {
        let filter = subscribed(serde_json::json!({
            "type": "subscribe", "agents": ["seo_optimizer"], "events": ["task_queued"], "websites": ["a"]
        }));
        assert!(filter.admits(&queued("seo_optimizer", Some("a"))));
        assert!(!filter.admits(&queued("monetization", Some("a"))));
        let cancelled = Event::TaskCancelled {
            task_id: "t".into(),
            agent: "seo_optimizer".into(),
            website_id: Some("a".into()),
        };
        assert!(!filter.admits(&stamped(cancelled)));
        let everything = subscribed(serde_json::json!({"type": "subscribe"}));
        assert!(everything.admits(&queued("monetization", None)));
        assert!(everything.admits(&queued("monetization", Some("b"))));
    }
}
