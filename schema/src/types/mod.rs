//! Typed identities and states carried end to end: in rows, messages, events and views.

mod agent_id;
mod intelligence;
mod language;
mod lead;
mod site;
mod status;
mod text_enum;

pub use agent_id::AgentId;
pub use intelligence::{DocType, EdgeKind, ImportKind, NodeKind, OutboxOp};
pub use language::Language;
pub use lead::{EmailStatus, FunnelStage};
pub use site::{ArticleType, BuildStatus, ConversionStatus, Network, OfferStatus, PageKind};
pub use status::{BudgetScope, TaskStatus, WebsiteStatus, WorkflowStatus};
pub use text_enum::UnknownValue;
