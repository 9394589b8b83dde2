//! The opportunity scanner: finds keywords worth building pages for.

pub mod score_keywords;
