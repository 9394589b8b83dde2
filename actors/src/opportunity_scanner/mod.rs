//! The opportunity scanner: finds keywords and niches worth building pages for.

pub mod import;
pub mod market_scan;
pub mod research;
pub mod score_keywords;
pub mod site_keywords;
