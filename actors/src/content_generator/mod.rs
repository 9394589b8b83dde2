//! The content generator: plans articles (title, meta description, slug, outline) for a keyword,
//! plans a whole site's pages, and writes them.

pub mod outline;
pub mod plan_content;
pub mod write_pages;
