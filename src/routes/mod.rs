//! HTTP routes, one operation per file, registered in one place.

pub mod fallback;
pub mod health;
pub mod metrics;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health::liveness::health))
        .route("/ready", web::get().to(health::readiness::ready))
        .route("/metrics", web::get().to(metrics::metrics));
}
