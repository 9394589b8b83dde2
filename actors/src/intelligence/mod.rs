//! The intelligence core: the LLM gateway, NLP utilities, search, the knowledge graph and data imports.

pub mod data;
pub mod graph;
pub mod imports;
pub mod llm;
pub mod nlp;
pub mod search;
pub mod web;
