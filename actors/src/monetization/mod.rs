//! Monetization: turns product placements into tracked affiliate links.

mod awin;
pub mod build_affiliate_link;
pub mod check_offers;
mod click_ref;
mod digistore24;
pub mod link_code;
pub mod monetise_site;
pub mod networks;
pub mod notifications;
pub mod settings;
pub mod sync_networks;
