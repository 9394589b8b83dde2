//! The website builder: turns finished articles into static HTML pages.

pub mod render_page;
pub mod site;
pub mod sites;
