//! The `snapshot` frame a socket starts from, shared by the sockets that open while nothing
//! happens. A snapshot as of event `id` serves every socket whose subscription starts at the
//! same `id` for up to `FRESH`; one caller builds it while the others wait. A reconnect storm
//! of thousands of dashboards then builds a few snapshots instead of one per socket (each build
//! reads the store and serialises about 20 KiB), and every socket sends the same bytes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytestring::ByteString;
use empire_actors::kinds::AgentId;

use super::frames;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a snapshot may be shared. Events make a new one at once (their id changes); this
/// bounds how stale what no event announces (queue depths, node addresses) can be.
const FRESH: Duration = Duration::from_secs(1);

/// The latest snapshot of each view: every agent (`None`) or one agent type.
#[derive(Clone, Default)]
pub struct Snapshots(Arc<Mutex<HashMap<Option<AgentId>, Arc<View>>>>);

/// One view's latest snapshot; held while one is built, so that callers wait for it.
type View = tokio::sync::Mutex<Option<Built>>;

struct Built {
    id: u64,
    at: Instant,
    frame: ByteString,
}

impl Snapshots {
    /// The snapshot of `only`'s view as of event `id`: the shared one if it is as of `id` and
    /// fresh, else a new one, which later callers share.
    pub async fn as_of(
        &self,
        state: &AppState,
        id: u64,
        only: Option<AgentId>,
    ) -> Result<ByteString, ApiError> {
        let view = Arc::clone(
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(only)
                .or_default(),
        );
        let mut latest = view.lock().await;
        if let Some(built) = latest
            .as_ref()
            .filter(|built| built.id == id && built.at.elapsed() < FRESH)
        {
            return Ok(built.frame.clone());
        }
        let frame = ByteString::from(frames::snapshot(state, id, only).await?);
        *latest = Some(Built {
            id,
            at: Instant::now(),
            frame: frame.clone(),
        });
        Ok(frame)
    }
}
