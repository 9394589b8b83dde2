//! Liveness and readiness probes.

pub mod health;
pub mod ready;
