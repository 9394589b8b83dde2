//! Middleware wrapped around every route.

pub mod request_context;
