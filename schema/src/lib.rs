//! empire's storage: diesel tables, typed models with their queries, the database handle for
//! SQLite and PostgreSQL, embedded migrations, and the cache. No SQL is written outside this crate.

pub mod backup;
pub mod cache;
pub mod clock;
pub mod db;
pub mod error;
pub mod hex;
pub mod json;
pub mod migrate;
pub mod models;
pub mod page;
pub mod prepared;
pub mod schema;
pub mod secret;
pub mod sqlite_reads;
pub mod stamp;
pub mod sync;
pub mod types;

pub use db::{Backend, DatabaseUrl, Db, DbOptions, PoolStats};
pub use error::{StoreError, StoreResult};
pub use json::Json;
pub use page::{Page, PageRequest};
pub use secret::Secret;
pub use types::{
    AgentId, BudgetScope, EmailStatus, FunnelStage, TaskStatus, UnknownValue, WebsiteStatus,
    WorkflowStatus,
};
