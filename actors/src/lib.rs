//! empire's actor runtime, its five agents and the domain logic they drive. It sits between
//! the front door and the store (`src` → `actors` → `schema`) and knows nothing of HTTP.

pub use empire_schema as schema;

pub mod cluster;
pub mod content_generator;
pub mod intelligence;
pub mod kinds;
pub mod monetization;
pub mod opportunity_scanner;
pub mod plumbing;
pub mod runtime;
pub mod seo_optimizer;
pub mod services;
pub mod website_builder;
pub mod workflows;
