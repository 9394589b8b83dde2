//! `GET /ready`: whether the database and the cache answer; 503 naming the failing check otherwise.
//! Unauthenticated, so the result is shared for `FRESH_FOR` (one probe in flight at a time)
//! and the body says only which check failed and how, never the error text (hosts, users).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::{HttpResponse, web};
use empire_schema::StoreError;
use serde::Serialize;
use tokio::sync::Mutex;
use utoipa::ToSchema;

use crate::state::AppState;

/// A check that has not answered in this time counts as down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);
/// How long one probe's result answers every caller. With `CHECK_TIMEOUT`, an outage shows
/// within 2.5 s of its start, even right after a probe that found everything up.
const FRESH_FOR: Duration = Duration::from_millis(500);

/// The last probe's result, shared by the app's workers.
#[derive(Clone, Default)]
pub struct ReadyCache(Arc<Mutex<Option<Probed>>>);

/// When a probe finished, and what it found.
type Probed = (Instant, Arc<Readiness>);

#[derive(Debug, Serialize, ToSchema)]
pub struct Check {
    pub status: CheckStatus,
    /// `sqlite`, `postgres`, `memory` or `redis`.
    pub backend: &'static str,
    pub latency_ms: u64,
    /// Why a check is down: `timeout` or `error` (the detail is logged, never shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Up,
    Down,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadyStatus {
    Ready,
    Unavailable,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: ReadyStatus,
    pub checks: Checks,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Checks {
    pub database: Check,
    pub cache: Check,
}

#[utoipa::path(
    get,
    path = "/ready",
    tag = "system",
    responses(
        (status = 200, description = "Database and cache answer; each check named", body = Readiness),
        (status = 503, description = "A check is down; it is named", body = Readiness),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let body = {
        // Held across the probe: concurrent callers wait for it rather than start their own.
        let mut last = state.ready.0.lock().await;
        match last.as_ref() {
            Some((at, body)) if at.elapsed() < FRESH_FOR => body.clone(),
            _ => {
                let body = Arc::new(probe(&state).await);
                *last = Some((Instant::now(), body.clone()));
                body
            }
        }
    };
    if body.status == ReadyStatus::Ready {
        HttpResponse::Ok().json(&*body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "5"))
            .json(&*body)
    }
}

async fn probe(state: &AppState) -> Readiness {
    // The ping runs on a task of its own and only the wait for it times out: a SQLite query
    // dropped half-way panics on an HTTP worker's thread (see `empire_schema::db`).
    let db = state.db.clone();
    let ping = actix_web::rt::spawn(async move { db.ping().await });
    let ping = async move {
        ping.await
            .unwrap_or_else(|error| Err(StoreError::Unavailable(error.to_string())))
    };
    let (database, cache) = tokio::join!(
        check("database", state.db.backend().as_str(), ping),
        check("cache", state.cache.backend_name(), state.cache.ping()),
    );
    let up = database.error.is_none() && cache.error.is_none();
    Readiness {
        status: if up {
            ReadyStatus::Ready
        } else {
            ReadyStatus::Unavailable
        },
        checks: Checks { database, cache },
    }
}

async fn check<E: std::fmt::Display>(
    name: &'static str,
    backend: &'static str,
    probe: impl Future<Output = Result<(), E>>,
) -> Check {
    let started = Instant::now();
    let error = match tokio::time::timeout(CHECK_TIMEOUT, probe).await {
        Ok(Ok(())) => None,
        Ok(Err(error)) => {
            tracing::warn!(check = name, %error, "not ready");
            Some("error")
        }
        Err(_elapsed) => {
            tracing::warn!(check = name, timeout_ms = %CHECK_TIMEOUT.as_millis(), "not ready");
            Some("timeout")
        }
    };
    Check {
        status: if error.is_none() {
            CheckStatus::Up
        } else {
            CheckStatus::Down
        },
        backend,
        latency_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        error: error.map(str::to_owned),
    }
}
