//! The site audit, fixer and publish gate of the website pipeline: every page checked (on-page
//! rules, links, canonical, hreflang, structured data, crawlability, weight), the site checked
//! (sitemap, orphans, duplicates, thin pages, near-duplicates across all websites), safe fixes
//! applied, and a gate deciding whether the site may publish.
//!
//! Lighthouse's SEO audits and the checks covering them: document-title → `title_present`;
//! meta-description → `meta_description_present`; http-status-code → `broken_links` (a page
//! exists for every internal link); link-text → `link_text`; crawlable-anchors →
//! `crawlable_anchors`; is-crawlable → `is_crawlable` and `robots_allowed`; robots-txt →
//! `robots_txt_valid`; image-alt → `images_have_alt`; hreflang → `hreflang`; canonical →
//! `canonical` and `canonical_valid`; viewport → `viewport`.
//!
//! Pure: no I/O. The caller passes each page's HTML and URL, the site's sitemap.xml,
//! robots.txt and asset sizes, and (for near-duplicates across sites) a [`DuplicateIndex`].

#[macro_use]
mod model;

mod content;
mod context;
mod duplicates;
mod fix;
mod gate;
mod head;
mod hreflang;
mod links;
mod page;
mod robots;
mod scan;
mod settings;
mod site;
mod sitemap;
mod structured_data;

pub use context::{AssetSizes, SiteContext};
pub use duplicates::{
    DocKey, DuplicateConfig, DuplicateError, DuplicateIndex, DuplicateMatch, Signature,
};
pub use fix::{FixApplied, FixContext, FixKind, fix_page};
pub use gate::{GateDecision, GateSettings, PageFailure, gate};
pub use model::{
    CheckId, CheckResult, PageId, PageInput, PageKind, PageReport, PageStats, UnknownName,
    WebsiteId, score,
};
pub use page::{audit_page, audit_pages};
pub use scan::main_text;
pub use settings::AuditSettings;
pub use site::{NearDuplicate, SiteReport, audit_site};

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;
