//! The site a page is audited in: its pages scanned once, their URLs, local asset sizes and
//! robots.txt; links resolve against it.

use std::collections::HashMap;

use url::Url;

use super::model::{PageInput, WebsiteId};
use super::robots::RobotsTxt;
use super::scan::{PageScan, scan};
use crate::seo_optimizer::page_facts::{PageFacts, gather};

/// Sizes in bytes of the site's local files (CSS, JS, images, feeds), by URL path
/// (`/assets/app.3f2a9c.css`, including any prefix the site is served under).
pub type AssetSizes = HashMap<String, u64>;

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// The same host as the page.
    Internal(Url),
    External(Url),
    /// `mailto:`, `tel:` and other non-web schemes, or a bare `#fragment`.
    Other,
    Javascript,
    Missing,
    Invalid,
}

/// The pages of one site, scanned once, with what their links resolve against.
pub struct SiteContext<'a> {
    pub(crate) website: WebsiteId,
    pub(crate) pages: &'a [PageInput],
    pub(crate) scans: Vec<PageScan>,
    pub(crate) facts: Vec<PageFacts>,
    pub(crate) urls: Vec<Option<Url>>,
    by_key: HashMap<String, usize>,
    assets: &'a AssetSizes,
    pub(crate) robots: RobotsTxt,
}

impl<'a> SiteContext<'a> {
    /// Scans every page; `robots_txt` is the site's file as served ("" when there is none).
    pub fn new(
        website: WebsiteId,
        pages: &'a [PageInput],
        robots_txt: &str,
        assets: &'a AssetSizes,
    ) -> Self {
        let urls: Vec<Option<Url>> = pages.iter().map(|p| Url::parse(&p.url).ok()).collect();
        let by_key = urls
            .iter()
            .enumerate()
            .filter_map(|(i, url)| Some((url_key(url.as_ref()?), i)))
            .collect();
        SiteContext {
            website,
            pages,
            scans: pages.iter().map(|p| scan(&p.html)).collect(),
            facts: pages.iter().map(|p| gather(&p.html)).collect(),
            urls,
            by_key,
            assets,
            robots: RobotsTxt::parse(robots_txt),
        }
    }

    /// The main text of each page (boilerplate such as navigation left out), for
    /// [`DuplicateIndex::signature`](super::DuplicateIndex::signature).
    pub fn main_texts(&self) -> impl Iterator<Item = (&PageInput, &str)> {
        self.pages
            .iter()
            .zip(&self.scans)
            .map(|(page, scan)| (page, scan.main_text.as_str()))
    }

    /// The index of the page published at `url`, if it is one of the site's.
    pub(crate) fn page_at(&self, url: &Url) -> Option<usize> {
        self.by_key.get(&url_key(url)).copied()
    }

    /// Size of a local asset, if the site has it.
    pub(crate) fn asset_bytes(&self, url: &Url) -> Option<u64> {
        self.assets.get(url.path()).copied()
    }

    /// Where `href` on page `index` points.
    pub(crate) fn classify(&self, index: usize, href: Option<&str>) -> Target {
        let Some(href) = href else {
            return Target::Missing;
        };
        let lower = href.trim_start().to_ascii_lowercase();
        if lower.starts_with("javascript:") {
            return Target::Javascript;
        }
        if href.is_empty() || href.starts_with('#') {
            return Target::Other;
        }
        let Some(base) = self.urls.get(index).and_then(Option::as_ref) else {
            return Target::Invalid;
        };
        match base.join(href) {
            Ok(url) if !matches!(url.scheme(), "http" | "https") => Target::Other,
            Ok(url) if same_origin(base, &url) => Target::Internal(url),
            Ok(url) => Target::External(url),
            Err(_) => Target::Invalid,
        }
    }
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

/// The key two URLs of one page share: host and path without fragment, query, trailing
/// `index.html` or trailing slash.
pub(crate) fn url_key(url: &Url) -> String {
    let path = url.path();
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let path = path.trim_end_matches('/');
    format!(
        "{}:{}{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0),
        path
    )
}
