//! The content generator: plans articles (title, meta description, slug, outline) for a keyword.

pub mod outline;
