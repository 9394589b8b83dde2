//! The intelligence core: the LLM gateway, NLP utilities, search, the knowledge graph and data imports.

pub mod search;
