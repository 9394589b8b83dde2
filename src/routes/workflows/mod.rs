//! `/api/v1/workflows`: durable multi-step runs.

pub mod cancel;
pub mod get;
pub mod start;
pub mod view;
