//! `GET /ready`: whether the database and the cache answer; 503 naming the failing check otherwise.

use std::future::Future;
use std::time::{Duration, Instant};

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// A check that has not answered in this time counts as down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Serialize, ToSchema)]
pub struct Check {
    pub status: CheckStatus,
    /// `sqlite`, `postgres`, `memory` or `redis`.
    pub backend: &'static str,
    pub latency_ms: u64,
    /// Why a check is down.
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
    let (database, cache) = tokio::join!(
        check(state.db.backend().as_str(), state.db.ping()),
        check(state.cache.backend_name(), state.cache.ping()),
    );
    let up = database.error.is_none() && cache.error.is_none();
    let body = Readiness {
        status: if up {
            ReadyStatus::Ready
        } else {
            ReadyStatus::Unavailable
        },
        checks: Checks { database, cache },
    };
    if up {
        HttpResponse::Ok().json(body)
    } else {
        tracing::warn!(?body.checks, "not ready");
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "5"))
            .json(body)
    }
}

async fn check<E: std::fmt::Display>(
    backend: &'static str,
    probe: impl Future<Output = Result<(), E>>,
) -> Check {
    let started = Instant::now();
    let error = match tokio::time::timeout(CHECK_TIMEOUT, probe).await {
        Ok(Ok(())) => None,
        Ok(Err(error)) => Some(error.to_string()),
        Err(_elapsed) => Some(format!("no answer within {} ms", CHECK_TIMEOUT.as_millis())),
    };
    Check {
        status: if error.is_none() {
            CheckStatus::Up
        } else {
            CheckStatus::Down
        },
        backend,
        latency_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        error,
    }
}
