//! The types the site audit speaks: page identities and kinds, check ids, check results and the
//! page report.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::intelligence::nlp::Language;

/// A page's identity within its website (the store's page id, or its path): opaque here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PageId(pub String);

/// A website's identity (the `websites` row id): opaque here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebsiteId(pub String);

impl fmt::Display for PageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for WebsiteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An id or name was not one this module knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}`")]
pub struct UnknownName {
    pub what: &'static str,
    pub value: String,
}

/// Defines a fieldless enum with `ALL`, `as_str`, `Display`, `FromStr` and snake_case serde.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::seo_optimizer::site_audit::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::seo_optimizer::site_audit::UnknownName { what: $what, value: s.to_owned() })
            }
        }
    };
}

named_enum!(
    /// What a page is for; some checks apply only to some kinds.
    PageKind, "page kind" {
        /// The site's start page: exempt from the orphan check.
        Home => "home",
        Article => "article",
        Category => "category",
        /// Imprint, privacy, contact: exempt from the keyphrase and thin-content checks.
        Legal => "legal",
    }
);

named_enum!(
    /// Every check the audit runs. The first group is `audit_page`'s rules (same ids), the second
    /// the extra page checks, the third the site checks (reported per page where they name one).
    CheckId, "check id" {
        TitlePresent => "title_present",
        TitleLength => "title_length",
        MetaDescriptionPresent => "meta_description_present",
        MetaDescriptionLength => "meta_description_length",
        SingleH1 => "single_h1",
        KeywordInTitle => "keyword_in_title",
        KeywordInH1 => "keyword_in_h1",
        KeywordInFirstParagraph => "keyword_in_first_paragraph",
        KeywordInMetaDescription => "keyword_in_meta_description",
        ImagesHaveAlt => "images_have_alt",
        HasLinks => "has_links",
        HasSubheadings => "has_subheadings",
        ContentLength => "content_length",
        HtmlLang => "html_lang",
        Canonical => "canonical",
        Viewport => "viewport",
        HeadingOrder => "heading_order",
        KeyphraseDensity => "keyphrase_density",
        Readability => "readability",
        LinkText => "link_text",
        CrawlableAnchors => "crawlable_anchors",
        InternalLinks => "internal_links",
        BrokenLinks => "broken_links",
        ExternalLinksNoopener => "external_links_noopener",
        CanonicalValid => "canonical_valid",
        Hreflang => "hreflang",
        StructuredData => "structured_data",
        IsCrawlable => "is_crawlable",
        RobotsAllowed => "robots_allowed",
        PageWeight => "page_weight",
        RobotsTxtValid => "robots_txt_valid",
        SitemapValid => "sitemap_valid",
        InSitemap => "in_sitemap",
        SitemapExtraUrls => "sitemap_extra_urls",
        OrphanPage => "orphan_page",
        DuplicateTitle => "duplicate_title",
        DuplicateDescription => "duplicate_description",
        ThinPage => "thin_page",
        NearDuplicate => "near_duplicate",
    }
);

impl CheckId {
    /// The keyphrase checks, skipped for pages without a keyphrase.
    pub const fn needs_keyphrase(self) -> bool {
        matches!(
            self,
            CheckId::KeywordInTitle
                | CheckId::KeywordInH1
                | CheckId::KeywordInFirstParagraph
                | CheckId::KeywordInMetaDescription
                | CheckId::KeyphraseDensity
        )
    }
}

/// One page to audit: its rendered HTML and what the site knows about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageInput {
    pub id: PageId,
    /// Absolute URL the page is published at (`https://example.com/best-robot-vacuums/`).
    pub url: String,
    pub kind: PageKind,
    pub language: Language,
    /// The phrase the page targets; `None` skips the keyphrase checks.
    pub keyphrase: Option<String>,
    pub html: String,
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: CheckId,
    pub passed: bool,
    pub weight: u32,
    /// What was found; on failure, what to fix.
    pub message: String,
}

impl CheckResult {
    pub fn new(id: CheckId, weight: u32, passed: bool, message: impl Into<String>) -> Self {
        CheckResult {
            id,
            passed,
            weight,
            message: message.into(),
        }
    }
}

/// Measurements behind the checks, for dashboards.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageStats {
    pub words: usize,
    pub html_bytes: u64,
    pub asset_bytes: u64,
    pub readability: Option<f64>,
    pub keyphrase_density: Option<f64>,
    pub internal_links: usize,
    pub external_links: usize,
}

/// Every check of one page, its score and the ids of the failed checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageReport {
    pub page: PageId,
    pub url: String,
    /// 0–100: the weight of the passed checks as a share of all weights, rounded.
    pub score: u8,
    pub checks: Vec<CheckResult>,
    pub failed: Vec<CheckId>,
    pub stats: PageStats,
}

/// `round(100 × passed weight / total weight)`; 100 for no checks at all.
pub fn score(checks: &[CheckResult]) -> u8 {
    let total: u64 = checks.iter().map(|c| u64::from(c.weight)).sum();
    let passed: u64 = checks
        .iter()
        .filter(|c| c.passed)
        .map(|c| u64::from(c.weight))
        .sum();
    if total == 0 {
        return 100;
    }
    u8::try_from((200 * passed + total) / (2 * total)).unwrap_or(100)
}
