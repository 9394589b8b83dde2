//! One live socket: the first frames, missed events and whatever its own subscription holds,
//! then the live feed from its worker thread's hub (`hub`), which writes each event to every
//! caught-up socket of the thread at once. A socket queue that stays full, or a connection that
//! falls too far behind, means the client is too slow: it is closed with 1013 and nobody else
//! waits for it. Pings keep the link alive; silence closes it; a credential that lapses closes
//! it with 1008.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_ws::{AggregatedMessage, CloseCode, CloseReason, Item, MessageStream, Session};
use bytestring::ByteString;
use empire_actors::runtime::Stamped;
use empire_schema::AgentId;
use serde::Deserialize;
use tokio::sync::broadcast;

use super::WsConfig;
use super::admit::Admitted;
use super::lapse::Lapse;
use super::limits;

mod hub;

/// Largest fragment of a message sent in pieces. The HTTP layer copies each into the
/// connection's 8 KiB write buffer; the pages of it never written stay out of the process's
/// resident memory, so small pieces keep an idle socket small: in the `sockets` bench, 1 KiB
/// pieces cost about 2 KiB more per socket than these, and 4 KiB pieces about 4 KiB more.
const PIECE: usize = 512;

/// What a connection starts with.
pub struct Feed {
    /// Frames sent first (a snapshot, or a resync and a snapshot).
    pub first: Vec<ByteString>,
    /// Events the client missed, when it resumed.
    pub replay: Vec<Arc<Stamped>>,
    /// The newest event the first frames or the replay cover; `live` has the ones after it.
    pub last_id: u64,
    pub live: broadcast::Receiver<Arc<Stamped>>,
}

/// Which events a client wants; empty sets mean everything.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Set by the route (`/ws/agents/{agent_id}`); a client cannot widen it.
    pub fixed_agent: Option<AgentId>,
    pub agents: HashSet<AgentId>,
    pub events: HashSet<String>,
    pub websites: HashSet<String>,
}

/// A message a client may send.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ClientFrame {
    Subscribe {
        #[serde(default)]
        agents: Vec<AgentId>,
        #[serde(default)]
        events: Vec<String>,
        #[serde(default)]
        websites: Vec<String>,
    },
    Ping,
}

pub fn spawn(
    session: Session,
    stream: MessageStream,
    feed: Feed,
    filter: Filter,
    config: WsConfig,
    admitted: Admitted,
) {
    actix_web::rt::spawn(run(session, stream, feed, filter, config, admitted));
}

/// Why a connection ends.
enum End {
    /// The client closed or went away: there is nobody to send a close frame to.
    Gone,
    Close(CloseReason),
}

async fn run(
    session: Session,
    stream: MessageStream,
    feed: Feed,
    filter: Filter,
    config: WsConfig,
    admitted: Admitted,
) {
    let Admitted { slot: _slot, watch } = admitted;
    let mut lapse = watch.start();
    let mut outbox = Outbox {
        session,
        patience: Duration::from_millis(config.slow_consumer_ms),
    };
    let reason = match serve(&mut outbox, stream, feed, filter, &config, &mut lapse).await {
        Err(End::Gone) => None,
        Err(End::Close(reason)) => {
            tracing::info!(code = ?reason.code, reason = reason.description.as_deref().unwrap_or(""), "closing a socket");
            Some(reason)
        }
    };
    let _ = outbox.session.close(reason).await;
}

/// Sends the first frames and missed events, then follows the live feed and the client until
/// the connection ends.
async fn serve(
    outbox: &mut Outbox,
    stream: MessageStream,
    mut feed: Feed,
    filter: Filter,
    config: &WsConfig,
    lapse: &mut Lapse,
) -> Result<std::convert::Infallible, End> {
    let mut stream = limits::messages(stream, config.max_frame_bytes);
    let mut ping = tokio::time::interval(Duration::from_millis(config.ping_interval_ms.max(1)));
    let idle_timeout = Duration::from_millis(config.idle_timeout_ms);
    let mut last_heard = Instant::now();

    for frame in feed.first.drain(..) {
        outbox.text_in_pieces(frame).await?;
    }
    for event in feed.replay.drain(..) {
        if filter.admits(&event) {
            outbox.text(event.json.clone()).await?;
        }
    }
    // Catch up from the connection's own subscription, then hand over to the thread's hub with
    // no await between finding the subscription empty and joining.
    let mut last_id = feed.last_id;
    loop {
        match feed.live.try_recv() {
            Ok(event) => {
                last_id = event.id;
                if filter.admits(&event) {
                    outbox.text(event.json.clone()).await?;
                }
            }
            Err(broadcast::error::TryRecvError::Empty) => break,
            Err(broadcast::error::TryRecvError::Lagged(_)) => return Err(End::Close(too_slow())),
            Err(broadcast::error::TryRecvError::Closed) => return Err(End::Close(restarting())),
        }
    }
    let member = hub::join(
        feed.live,
        outbox.session.clone(),
        filter,
        last_id,
        config.send_queue_frames,
    );

    loop {
        tokio::select! {
            () = member.wake.notified() => loop {
                let Some(event) = member.next()? else { break };
                outbox.text(event.json.clone()).await?;
                member.written(&event);
            },
            message = stream.recv() => {
                last_heard = Instant::now();
                match message {
                    Some(Ok(AggregatedMessage::Text(text))) => {
                        let reply = member.command(&text);
                        if let Some(reply) = reply {
                            outbox.text(reply.into()).await?;
                        }
                    }
                    Some(Ok(AggregatedMessage::Ping(bytes))) => outbox.pong(&bytes).await?,
                    Some(Ok(AggregatedMessage::Pong(_))) => {}
                    Some(Ok(AggregatedMessage::Binary(_))) => {
                        return Err(End::Close(CloseReason { code: CloseCode::Unsupported, description: Some("send JSON text frames".into()) }));
                    }
                    Some(Ok(AggregatedMessage::Close(_))) | None => return Err(End::Gone),
                    Some(Err(error)) => return Err(End::Close(limits::close_for(&error, config.max_frame_bytes))),
                }
            }
            reason = lapse.wait() => return Err(End::Close(reason)),
            _ = ping.tick() => {
                if last_heard.elapsed() > idle_timeout {
                    return Err(End::Close(CloseReason { code: CloseCode::Normal, description: Some("idle timeout".into()) }));
                }
                outbox.ping().await?;
            }
        }
    }
}

/// Writes from the connection's own task. A frame waits at most `patience` for room in the
/// socket's queue (the timer is armed only when that queue is full); meanwhile newer events wait
/// in the bus's per-subscriber buffer.
struct Outbox {
    session: Session,
    patience: Duration,
}

impl Outbox {
    async fn text(&mut self, text: ByteString) -> Result<(), End> {
        Self::sent(tokio::time::timeout(self.patience, self.session.text(text)).await)
    }

    /// Sends a large message (a snapshot) as one WebSocket message in fragments of `PIECE`
    /// bytes, yielding after each so the connection writes it before the next is queued. The
    /// HTTP layer copies whatever is queued into the connection's write buffer and keeps that
    /// buffer's size for the life of the connection: sent whole, a 20 KiB snapshot would hold
    /// 20 KiB per socket for as long as it stays open. The pieces are slices of `text`, which
    /// sockets opened together share (`snapshots`).
    async fn text_in_pieces(&mut self, text: ByteString) -> Result<(), End> {
        if text.len() <= PIECE {
            return self.text(text).await;
        }
        let text = text.into_bytes();
        let mut start = 0;
        while start < text.len() {
            let end = (start + PIECE).min(text.len());
            let piece = text.slice(start..end);
            let item = match (start, end == text.len()) {
                (0, _) => Item::FirstText(piece),
                (_, true) => Item::Last(piece),
                (_, false) => Item::Continue(piece),
            };
            let queued = self.session.continuation(item);
            Self::sent(tokio::time::timeout(self.patience, queued).await)?;
            tokio::task::yield_now().await;
            start = end;
        }
        Ok(())
    }

    async fn ping(&mut self) -> Result<(), End> {
        Self::sent(tokio::time::timeout(self.patience, self.session.ping(b"")).await)
    }

    async fn pong(&mut self, bytes: &[u8]) -> Result<(), End> {
        Self::sent(tokio::time::timeout(self.patience, self.session.pong(bytes)).await)
    }

    fn sent(
        result: Result<Result<(), actix_ws::Closed>, tokio::time::error::Elapsed>,
    ) -> Result<(), End> {
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(actix_ws::Closed)) => Err(End::Gone),
            Err(_) => Err(End::Close(too_slow())),
        }
    }
}

fn restarting() -> CloseReason {
    CloseReason {
        code: CloseCode::Restart,
        description: Some("the server is restarting".into()),
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
        let agent_ok = |agents: &HashSet<AgentId>| {
            agents.is_empty() || agent.is_some_and(|agent| agents.contains(&agent))
        };
        self.fixed_agent.is_none_or(|fixed| agent == Some(fixed))
            && agent_ok(&self.agents)
            && (self.events.is_empty() || self.events.contains(kind))
            && (self.websites.is_empty()
                || event
                    .event
                    .website()
                    .is_some_and(|website| self.websites.contains(website)))
    }

    /// Applies a client message; returns a frame to answer with, if any.
    pub fn command(&mut self, text: &str) -> Option<String> {
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

    use empire_actors::runtime::{Event, InstanceState};

    use super::*;

    fn stamped(event: Event) -> Stamped {
        Stamped {
            id: 1,
            ts: chrono::Utc::now(),
            event,
            json: Default::default(),
        }
    }

    fn queued(agent: AgentId, website_id: Option<&str>) -> Stamped {
        stamped(Event::TaskQueued {
            task_id: "t".into(),
            agent,
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
        assert!(filter.admits(&queued(AgentId::SeoOptimizer, Some("a"))));
        assert!(filter.admits(&queued(AgentId::Monetization, Some("c"))));
        assert!(!filter.admits(&queued(AgentId::SeoOptimizer, Some("b"))));
        assert!(!filter.admits(&queued(AgentId::SeoOptimizer, None)));
        let status = Event::AgentStatus {
            agent: AgentId::SeoOptimizer,
            instance: "i".into(),
            status: InstanceState::Busy,
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
        assert!(filter.admits(&queued(AgentId::SeoOptimizer, Some("a"))));
        assert!(!filter.admits(&queued(AgentId::Monetization, Some("a"))));
        let cancelled = Event::TaskCancelled {
            task_id: "t".into(),
            agent: AgentId::SeoOptimizer,
            website_id: Some("a".into()),
        };
        assert!(!filter.admits(&stamped(cancelled)));
        let everything = subscribed(serde_json::json!({"type": "subscribe"}));
        assert!(everything.admits(&queued(AgentId::Monetization, None)));
        assert!(everything.admits(&queued(AgentId::Monetization, Some("b"))));
    }
}
