//! The website builder: turns finished articles into static HTML pages.

pub mod build_site;
pub mod deploy;
pub mod images;
pub mod publish_site;
pub mod render_page;
pub mod site;
pub mod sites;

#[cfg(test)]
pub(crate) mod testing;
