//! One module per table: the row, its new-row and change structs, and its queries.

pub mod api_key;
pub mod cluster_identity;
pub mod keyword;
pub mod knowledge;
pub mod lead;
pub mod llm_budget;
pub mod llm_call;
pub mod product;
pub mod research_note;
pub mod search_outbox;
pub mod task;
pub mod task_outcome;
pub mod task_queue;
pub mod task_stats;
pub mod user;
pub mod website;
pub mod workflow;

pub use api_key::{ApiKey, NewApiKey};
pub use cluster_identity::ClusterIdentity;
pub use keyword::{Keyword, KeywordMonth, NewKeyword};
pub use knowledge::{KgEdge, KgNode};
pub use lead::{Lead, LeadChanges, NewLead};
pub use llm_budget::LlmBudget;
pub use llm_call::{LlmCall, SpendGroup, SpendLine};
pub use product::{NewProduct, Product};
pub use research_note::ResearchNote;
pub use search_outbox::{NewOutboxEntry, OutboxEntry};
pub use task::{Created, NewTask, Task, TaskChanges, TaskFilter};
pub use task_outcome::{Succeeded, WorkflowAdvance};
pub use user::{NewUser, User, UserChanges};
pub use website::{NewWebsite, Website, WebsiteChanges};
pub use workflow::{NewWorkflow, Workflow, WorkflowChanges};
