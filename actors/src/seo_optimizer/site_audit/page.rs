//! The per-page audit: `audit_page`'s rules plus the content, link and crawler checks.

use super::context::SiteContext;
use super::model::{CheckId, CheckResult, PageId, PageKind, PageReport, PageStats, score};
use super::settings::AuditSettings;
use super::{content, head, links};
use crate::seo_optimizer::audit_page::rules;

/// Audits every page of the site, in input order.
pub fn audit_pages(site: &SiteContext<'_>, settings: &AuditSettings) -> Vec<PageReport> {
    (0..site.pages.len())
        .map(|index| audit_at(site, index, settings))
        .collect()
}

/// Audits the page `id` of the site; `None` when the site has no such page.
pub fn audit_page(
    site: &SiteContext<'_>,
    id: &PageId,
    settings: &AuditSettings,
) -> Option<PageReport> {
    let index = site.pages.iter().position(|p| &p.id == id)?;
    Some(audit_at(site, index, settings))
}

pub(crate) fn audit_at(
    site: &SiteContext<'_>,
    index: usize,
    settings: &AuditSettings,
) -> PageReport {
    let page = &site.pages[index];
    let keyphrase = page
        .keyphrase
        .as_deref()
        .filter(|k| !k.trim().is_empty() && page.kind != PageKind::Legal);
    let mut stats = PageStats::default();
    let mut checks: Vec<CheckResult> = rules::evaluate(&site.facts[index], keyphrase.unwrap_or(""))
        .into_iter()
        .filter_map(|c| {
            let id = c.id.parse::<CheckId>().ok()?;
            Some(CheckResult::new(id, c.weight, c.passed, c.message))
        })
        .filter(|c| keyphrase.is_some() || !c.id.needs_keyphrase())
        .filter(|c| page.kind != PageKind::Legal || c.id != CheckId::ContentLength)
        .collect();
    let scan = &site.scans[index];
    checks.extend(content::checks(
        page.language,
        keyphrase,
        scan,
        settings,
        &mut stats,
    ));
    checks.extend(links::checks(site, index, &mut stats));
    checks.extend(head::checks(site, index, settings, &mut stats));
    let failed = checks.iter().filter(|c| !c.passed).map(|c| c.id).collect();
    PageReport {
        page: page.id.clone(),
        url: page.url.clone(),
        score: score(&checks),
        checks,
        failed,
        stats,
    }
}
