//! Prometheus metrics: the process-wide recorder, metric names, and the pool gauges refreshed on scrape.

use std::sync::{Arc, OnceLock};

use empire_schema::Db;
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};

pub const HTTP_REQUESTS: &str = "http_requests_total";
pub const HTTP_DURATION: &str = "http_request_duration_seconds";
pub const HTTP_IN_FLIGHT: &str = "http_requests_in_flight";
/// Followed `/go/{code}` links by `outcome`: `redirected`, `unrecorded` (redirected, the click
/// not stored) or `unknown` (404).
pub const LINK_CLICKS: &str = "link_clicks_total";

/// Sale notifications from the networks by `network` and `outcome`: `applied`, `repeated`,
/// `behind` (older than the stored status), `noted` (no sale), `forged`, `unreadable`.
pub const NETWORK_NOTIFICATIONS: &str = "network_notifications_total";

/// Schedule ticks by `outcome`: `fired`, `overlap_skipped`, `missed` (older than catch-up),
/// `failed` (the runtime refused the work).
pub const SCHEDULE_TICKS: &str = "schedule_ticks_total";

/// Outbound webhook attempts by `outcome`: `delivered`, `retrying`, `failed`.
pub const WEBHOOK_DELIVERIES: &str = "webhook_deliveries_total";

/// Mail attempts by `outcome` (`sent`, `logged`, `suppressed`, `retrying`, `failed`) and
/// `provider`.
pub const EMAILS: &str = "emails_total";

/// Leads by `outcome`: `captured`, `confirmed`, `unsubscribed`.
pub const LEADS: &str = "leads_total";

/// Page views from the sites' beacon by `outcome`: `queued`, `dropped` (queue full), `bot`,
/// `refused` (a foreign origin), `written`, `unknown_site`, `lost` (the write failed).
pub const BEACON_EVENTS: &str = "beacon_events_total";

/// Latency buckets (seconds) for every `*_seconds` histogram: 1 ms to 10 s.
const SECONDS_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static RECORDER: OnceLock<Result<PrometheusHandle, Arc<BuildError>>> = OnceLock::new();

/// Installs the global recorder once per process (tests start many apps in one process).
pub fn install() -> anyhow::Result<PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS_BUCKETS)
                .and_then(|builder| builder.install_recorder())
                .map_err(Arc::new)?;
            describe();
            Ok(handle)
        })
        .clone()
        .map_err(|error| anyhow::anyhow!("cannot install the metrics recorder: {error}"))
}

fn describe() {
    crate::ratelimit::describe_metrics();
    metrics::describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests by method, route template and status"
    );
    metrics::describe_histogram!(
        HTTP_DURATION,
        metrics::Unit::Seconds,
        "HTTP request latency"
    );
    metrics::describe_gauge!(HTTP_IN_FLIGHT, "HTTP requests being served");
    metrics::describe_counter!(
        LINK_CLICKS,
        "Followed /go/{code} links by outcome (redirected, unrecorded, unknown)"
    );
    metrics::describe_counter!(
        NETWORK_NOTIFICATIONS,
        "Sale notifications from AWIN and Digistore24 by network and outcome"
    );
    metrics::describe_counter!(
        SCHEDULE_TICKS,
        "Schedule ticks by outcome (fired, overlap_skipped, missed, failed)"
    );
    metrics::describe_counter!(
        EMAILS,
        "Mail attempts by outcome (sent, logged, suppressed, retrying, failed) and provider"
    );
    metrics::describe_counter!(
        LEADS,
        "Leads by outcome (captured, confirmed, unsubscribed)"
    );
    metrics::describe_counter!(
        WEBHOOK_DELIVERIES,
        "Outbound webhook attempts by outcome (delivered, retrying, failed)"
    );
    metrics::describe_counter!(
        BEACON_EVENTS,
        "Page views from the sites' beacon by outcome (queued, dropped, bot, refused, written, unknown_site, lost)"
    );
    metrics::describe_gauge!("db_pool_connections", "Open database connections");
    metrics::describe_gauge!("db_pool_idle_connections", "Idle database connections");
    metrics::describe_gauge!("db_pool_max_connections", "Configured database pool size");
    metrics::describe_counter!(
        "db_pool_waits_total",
        "Connection checkouts that had to wait"
    );
    metrics::describe_counter!(
        "db_pool_timeouts_total",
        "Connection checkouts that timed out"
    );
    metrics::describe_counter!(
        "db_pool_wait_milliseconds_total",
        "Time spent waiting for a connection"
    );
}

/// Renders the text exposition after refreshing the gauges that are read, not pushed.
pub fn render(handle: &PrometheusHandle, db: &Db) -> String {
    let stats = db.stats();
    metrics::gauge!("db_pool_connections").set(f64::from(stats.connections));
    metrics::gauge!("db_pool_idle_connections").set(f64::from(stats.idle));
    metrics::gauge!("db_pool_max_connections").set(f64::from(stats.max_size));
    metrics::counter!("db_pool_waits_total").absolute(stats.gets_waited);
    metrics::counter!("db_pool_timeouts_total").absolute(stats.gets_timed_out);
    let wait_ms = u64::try_from(stats.wait_time.as_millis()).unwrap_or(u64::MAX);
    metrics::counter!("db_pool_wait_milliseconds_total").absolute(wait_ms);
    handle.run_upkeep();
    handle.render()
}
