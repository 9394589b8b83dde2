//! The SEO optimizer: audits rendered pages against on-page SEO rules.

pub mod audit_page;
pub mod audit_site;
mod entities;
mod html_scan;
mod page_facts;
pub mod site_audit;
