//! The pure part of `audit_site`: a build's files become the audit's pages and site context, the
//! safe fixes are applied, and the fixed site is audited and gated.

use std::collections::BTreeMap;

use empire_schema::models::SitePage;
use empire_schema::types::PageKind as StoredKind;
use url::Url;

use crate::intelligence::nlp::Language;
use crate::seo_optimizer::site_audit::{
    AssetSizes, CheckResult, DuplicateError, DuplicateIndex, FixApplied, FixContext, GateDecision,
    PageId, PageInput, PageKind, PageReport, SiteContext, SiteReport, WebsiteId, audit_pages,
    audit_site, fix_page, gate, score,
};

use super::settings::SeoSettings;

/// A build's files by `/`-separated path.
pub(crate) type Files = BTreeMap<String, Vec<u8>>;

/// One HTML page of a build: its path in the build and what the audit reads. Its id is the
/// stored page's, or its path for pages the builder makes itself (the imprint and privacy
/// pages from the settings), which are audited as legal pages.
#[derive(Debug, Clone)]
pub(crate) struct BuiltPage {
    pub path: String,
    pub input: PageInput,
}

/// The HTML pages of `files`, each at `base` + its folder, matched to the stored pages by slug
/// (the page's last folder; empty for the home page).
pub(crate) fn built_pages(
    files: &Files,
    base: &Url,
    language: Language,
    stored: &[SitePage],
) -> Vec<BuiltPage> {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .filter_map(|(path, bytes)| {
            let folder = path.strip_suffix("index.html").unwrap_or(path);
            let url = base.join(folder).ok()?;
            let slug = folder
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            let page = stored.iter().find(|p| p.written && p.slug == slug);
            let keyphrase = page
                .map(|p| p.keyword.trim().to_owned())
                .filter(|k| !k.is_empty());
            Some(BuiltPage {
                path: path.clone(),
                input: PageInput {
                    id: PageId(page.map_or_else(|| path.clone(), |p| p.id.clone())),
                    url: url.into(),
                    kind: page.map_or(PageKind::Legal, |p| kind(p.kind)),
                    language,
                    keyphrase,
                    html: String::from_utf8_lossy(bytes).into_owned(),
                },
            })
        })
        .collect()
}

fn kind(stored: StoredKind) -> PageKind {
    match stored {
        StoredKind::Home => PageKind::Home,
        StoredKind::Category => PageKind::Category,
        StoredKind::Article => PageKind::Article,
        StoredKind::Imprint | StoredKind::Privacy => PageKind::Legal,
    }
}

/// Sizes of the build's other files by the URL path they are served at.
pub(crate) fn asset_sizes(files: &Files, base: &Url) -> AssetSizes {
    files
        .iter()
        .filter(|(path, _)| !path.ends_with(".html"))
        .map(|(path, bytes)| (format!("{}{path}", base.path()), bytes.len() as u64))
        .collect()
}

/// The fixes made to one page.
#[derive(Debug, Clone)]
pub(crate) struct PageFixes {
    pub page: PageId,
    pub url: String,
    pub applied: Vec<FixApplied>,
}

/// Applies every safe fix to every page, in `files` and in `pages`; returns what was changed.
pub(crate) fn apply_fixes(files: &mut Files, pages: &mut [BuiltPage]) -> Vec<PageFixes> {
    let mut changed = Vec::new();
    for page in pages.iter_mut() {
        let context = FixContext::new(page.input.url.clone(), page.input.language);
        let (html, applied) = fix_page(&page.input.html, &context);
        if applied.is_empty() || html == page.input.html {
            continue;
        }
        files.insert(page.path.clone(), html.clone().into_bytes());
        page.input.html = html;
        changed.push(PageFixes {
            page: page.input.id.clone(),
            url: page.input.url.clone(),
            applied,
        });
    }
    changed
}

/// The audit of a whole build and the gate's verdict.
pub(crate) struct Review {
    pub pages: Vec<PageReport>,
    pub site: SiteReport,
    pub decision: GateDecision,
}

impl Review {
    /// The page's checks and the site checks that concern it: what the gate scores.
    pub fn checks_of(&self, report: &PageReport) -> Vec<CheckResult> {
        let mut checks = report.checks.clone();
        if let Some(site) = self.site.pages.get(&report.page) {
            checks.extend(site.iter().cloned());
        }
        checks
    }

    /// The page's score as the gate sees it.
    pub fn score_of(&self, report: &PageReport) -> u8 {
        score(&self.checks_of(report))
    }

    /// The lowest page score: every page must reach the minimum for the site to publish.
    pub fn site_score(&self) -> u8 {
        self.pages
            .iter()
            .map(|report| self.score_of(report))
            .min()
            .unwrap_or(100)
    }
}

/// Audits `pages` as one site, compares them with `others` (pages of other sites), and gates.
pub(crate) fn review(
    website: WebsiteId,
    pages: &[BuiltPage],
    files: &Files,
    base: &Url,
    others: &DuplicateIndex,
    settings: &SeoSettings,
) -> Result<Review, DuplicateError> {
    let inputs: Vec<PageInput> = pages.iter().map(|p| p.input.clone()).collect();
    let text = |path: &str| {
        files
            .get(path)
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default()
    };
    let assets = asset_sizes(files, base);
    let robots = text("robots.txt");
    let context = SiteContext::new(website, &inputs, &robots, &assets);
    let reports = audit_pages(&context, &settings.audit);
    let site = audit_site(
        &context,
        &text("sitemap.xml"),
        Some(others),
        &settings.audit,
    )?;
    let decision = gate(&site, &reports, &settings.gate());
    Ok(Review {
        pages: reports,
        site,
        decision,
    })
}
