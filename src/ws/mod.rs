//! Live WebSockets: `/ws/dashboard` (every event, with a snapshot, filters and resume) and
//! `/ws/agents/{agent_id}` (one agent type's events). Each connection has a bounded send queue;
//! a consumer too slow to keep up is closed without slowing anyone else.

mod admit;
pub mod agents;
pub mod connection;
pub mod dashboard;
pub mod frames;
pub mod lapse;
mod limits;
pub mod slots;
pub mod snapshots;
pub mod worker;

use serde::{Deserialize, Serialize};

/// `[ws]`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WsConfig {
    /// Open sockets beyond this get 503 at the handshake.
    pub max_connections: usize,
    /// Events that may wait for one client beyond its socket's own queue (32 frames); a client
    /// further behind is too slow and is closed (1013).
    pub send_queue_frames: usize,
    /// A client whose queue stays full this long is too slow and is closed (1013). Bursts wait
    /// in the event bus's per-subscriber buffer; falling 4096 events behind also closes.
    pub slow_consumer_ms: u64,
    pub ping_interval_ms: u64,
    /// A client silent this long (no message, no pong) is closed.
    pub idle_timeout_ms: u64,
    /// Largest message a client may send: one frame, or the frames of a fragmented message
    /// together (more: closed with 1009).
    pub max_frame_bytes: usize,
    /// An external worker silent this long (no heartbeat, progress or result) is dropped and
    /// its attempts go back to the queue.
    pub worker_heartbeat_timeout_ms: u64,
    /// A frame to an external worker that cannot be written this long means a stuck peer: the
    /// socket is dropped and its tasks go back to the queue.
    pub write_timeout_ms: u64,
    /// Sockets one credential (a login token or an API key) may hold open on a node; the next
    /// handshake gets 429.
    pub max_sockets_per_credential: usize,
}

impl Default for WsConfig {
    fn default() -> Self {
        WsConfig {
            max_connections: 20_000,
            send_queue_frames: 4_096,
            slow_consumer_ms: 2_000,
            ping_interval_ms: 15_000,
            idle_timeout_ms: 45_000,
            max_frame_bytes: 64 * 1024,
            worker_heartbeat_timeout_ms: 30_000,
            write_timeout_ms: 10_000,
            max_sockets_per_credential: 16,
        }
    }
}

impl WsConfig {
    /// The setting that would make every socket fail, with why.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if self.max_sockets_per_credential == 0 {
            return Err((
                "ws.max_sockets_per_credential",
                "at least 1, or no socket could open",
            ));
        }
        if self.write_timeout_ms == 0 {
            return Err((
                "ws.write_timeout_ms",
                "at least 1, or no frame could be written",
            ));
        }
        Ok(())
    }
}
