//! What the search index knows about a document: its type and its language, as stable wire strings
//! (defined with the stored types in `empire_schema::types`).

pub use empire_schema::types::{DocType, Language};
