//! Middleware around routes: request context on every request, the access gate per route,
//! and the safety net that turns any remaining plain error into problem+json.

pub mod access;
pub mod edge;
pub mod problem_net;
pub mod request_context;
