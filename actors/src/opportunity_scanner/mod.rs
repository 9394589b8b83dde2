//! The opportunity scanner: finds keywords worth building pages for.

pub mod research;
pub mod score_keywords;
