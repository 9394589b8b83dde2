//! What every handler can reach: configuration, the store, the cache, authentication,
//! rate limits and the metrics handle.

use std::sync::Arc;

use empire_actors::runtime::Runtime;
use empire_schema::Db;
use empire_schema::cache::Cache;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::auth::Authenticator;
use crate::config::Config;
use crate::ratelimit::RateLimiter;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub cache: Cache,
    pub auth: Authenticator,
    pub limiter: RateLimiter,
    pub runtime: Runtime,
    /// Open WebSockets, capped by `ws.max_connections`.
    pub sockets: crate::ws::slots::Slots,
    /// The `snapshot` frame sockets opened together share.
    pub snapshots: crate::ws::snapshots::Snapshots,
    pub metrics: PrometheusHandle,
    /// `/ready`'s last result, shared for a second.
    pub ready: crate::routes::health::readiness::ReadyCache,
    /// Page views from the sites' beacon, queued for the batched writer.
    pub beacon: crate::beacon::Beacon,
}
