//! The agent runtime end to end: tasks, supervision, backpressure, workflows, messaging.

mod agents;
mod idempotency;
mod messaging;
mod supervision;
mod tasks;
pub mod workflows;
