//! Page views from the sites' beacon (`POST /t/e`), counted without cookies or addresses: a
//! handler only checks and queues a view; one writer task adds the queued views up per site,
//! page and UTC day and writes them as batched upserts every second, so a flood of views costs
//! one row write per page, never one per view, and never holds up the API.

pub mod bots;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use empire_schema::Db;
use empire_schema::models::{PageViews, Website};
use tokio::sync::{mpsc, watch};

use crate::metrics::BEACON_EVENTS;

/// Views queued at most; beyond it views are dropped (and counted), never waited for.
const QUEUE: usize = 65_536;
/// How often queued views are written.
const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// Distinct keys that make the writer flush early.
const FLUSH_KEYS: usize = 2_048;
/// How long the slug → website map is trusted.
const SITES_FRESH_FOR: Duration = Duration::from_secs(60);
/// A view of a slug the map does not know reads it again, at most this often.
const SITES_REREAD_AFTER: Duration = Duration::from_secs(1);

/// One counted view.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct View {
    pub slug: String,
    pub path: String,
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
}

/// The queue in front of the writer; cheap to clone.
#[derive(Clone)]
pub struct Beacon {
    queue: mpsc::Sender<View>,
    /// Every published site's own origin (`https://<domain>`), refreshed by the writer.
    origins: watch::Receiver<BTreeSet<String>>,
}

impl Beacon {
    /// Starts the writer on the current runtime.
    pub fn start(db: Db) -> Beacon {
        let (queue, received) = mpsc::channel(QUEUE);
        let (origins_tx, origins) = watch::channel(BTreeSet::new());
        tokio::spawn(write_views(db, received, origins_tx));
        Beacon { queue, origins }
    }

    /// Queues a view; `false` (and counted) when the queue is full.
    pub fn count(&self, view: View) -> bool {
        let queued = self.queue.try_send(view).is_ok();
        let outcome = if queued { "queued" } else { "dropped" };
        metrics::counter!(BEACON_EVENTS, "outcome" => outcome).increment(1);
        queued
    }

    /// Whether `origin` is one of the sites' own domains.
    pub fn is_site_origin(&self, origin: &str) -> bool {
        self.origins.borrow().contains(origin)
    }
}

/// Adds queued views up and writes them every [`FLUSH_EVERY`] (or at [`FLUSH_KEYS`] keys);
/// writes what is left when the queue closes.
async fn write_views(
    db: Db,
    mut received: mpsc::Receiver<View>,
    origins: watch::Sender<BTreeSet<String>>,
) {
    let mut pending: HashMap<View, i64> = HashMap::new();
    let mut sites = Sites::default();
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    loop {
        tokio::select! {
            view = received.recv() => match view {
                Some(view) => {
                    *pending.entry(view).or_default() += 1;
                    if pending.len() >= FLUSH_KEYS {
                        flush(&db, &mut sites, &mut pending, &origins).await;
                    }
                }
                None => {
                    flush(&db, &mut sites, &mut pending, &origins).await;
                    return;
                }
            },
            _ = tick.tick() => flush(&db, &mut sites, &mut pending, &origins).await,
        }
    }
}

/// Slug → website id, and the sites' origins, read again once stale (or, for a new site's
/// first views, once a second).
#[derive(Default)]
struct Sites {
    ids: HashMap<String, String>,
    read_at: Option<tokio::time::Instant>,
}

impl Sites {
    async fn refresh(
        &mut self,
        db: &Db,
        origins: &watch::Sender<BTreeSet<String>>,
        pending: &HashMap<View, i64>,
    ) -> bool {
        let unknown = pending
            .keys()
            .any(|view| !self.ids.contains_key(&view.slug));
        let fresh_for = if unknown {
            SITES_REREAD_AFTER
        } else {
            SITES_FRESH_FOR
        };
        if self.read_at.is_some_and(|at| at.elapsed() < fresh_for) {
            return false;
        }
        match Website::slugs_and_domains(db).await {
            Ok(rows) => {
                let domains = rows
                    .iter()
                    .filter_map(|(_, _, domain)| domain.as_ref())
                    .map(|domain| format!("https://{domain}"))
                    .collect();
                origins.send_replace(domains);
                self.ids = rows.into_iter().map(|(id, slug, _)| (slug, id)).collect();
                self.read_at = Some(tokio::time::Instant::now());
                true
            }
            Err(error) => {
                tracing::warn!(%error, "beacon: sites not read");
                false
            }
        }
    }
}

async fn flush(
    db: &Db,
    sites: &mut Sites,
    pending: &mut HashMap<View, i64>,
    origins: &watch::Sender<BTreeSet<String>>,
) {
    // Views of a slug not (yet) known wait for the next read of the sites; after it (or when
    // too many are waiting) they are dropped.
    let read_now = sites.refresh(db, origins, pending).await || pending.len() > 4 * FLUSH_KEYS;
    if pending.is_empty() {
        return;
    }
    let mut unknown = 0;
    let mut rows = Vec::new();
    pending.retain(|view, views| match sites.ids.get(&view.slug) {
        Some(id) => {
            rows.push(PageViews {
                website_id: id.clone(),
                path: view.path.clone(),
                day: view.day.clone(),
                views: *views,
            });
            false
        }
        None if read_now => {
            unknown += *views;
            false
        }
        None => true,
    });
    if unknown > 0 {
        metrics::counter!(BEACON_EVENTS, "outcome" => "unknown_site")
            .increment(u64::try_from(unknown).unwrap_or(0));
    }
    let written: i64 = rows.iter().map(|row| row.views).sum();
    match PageViews::add(db, &rows).await {
        Ok(()) => metrics::counter!(BEACON_EVENTS, "outcome" => "written")
            .increment(u64::try_from(written).unwrap_or(0)),
        Err(error) => {
            metrics::counter!(BEACON_EVENTS, "outcome" => "lost")
                .increment(u64::try_from(written).unwrap_or(0));
            tracing::warn!(%error, views = written, "beacon: views not written");
        }
    }
}
