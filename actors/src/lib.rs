//! empire's actor runtime and its five agents. The agents arrive with the agent-runtime issue;
//! this crate already sits between the front door and the store (`src` → `actors` → `schema`).

pub use empire_schema as schema;

pub mod content_generator;
pub mod kinds;
pub mod monetization;
pub mod opportunity_scanner;
pub mod seo_optimizer;
pub mod website_builder;
pub mod workflows;
