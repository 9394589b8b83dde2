//! Typed identities and states carried end to end: in rows, messages, events and views.

mod agent_id;
mod status;
mod text_enum;

pub use agent_id::AgentId;
pub use status::{BudgetScope, TaskStatus, WebsiteStatus, WorkflowStatus};
pub use text_enum::UnknownValue;
