//! `/api/v1/agents/{agent_id}/tasks` and `/api/v1/tasks`: durable tasks for the agents.

pub mod cancel;
pub mod get;
pub mod list;
pub mod submit;
pub mod view;
