//! Liveness (`/health`) and readiness (`/ready`) probes.

pub mod liveness;
pub mod readiness;
