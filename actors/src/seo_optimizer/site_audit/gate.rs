//! The publish gate: a site publishes only when every page reaches the minimum score, no check
//! marked blocking fails, and no page is too similar to another; failures are listed per page.

use serde::{Deserialize, Serialize};

use super::model::{CheckId, CheckResult, PageId, PageReport, score};
use super::site::SiteReport;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GateSettings {
    /// 0–100, over the page's checks and the site checks that concern it.
    pub min_page_score: u8,
    /// A page more similar than this to any other page (of any site) fails.
    pub max_duplicate_similarity: f64,
    /// Checks that fail a page, or the site, whatever the score.
    pub blocking: Vec<CheckId>,
}

impl Default for GateSettings {
    fn default() -> Self {
        GateSettings {
            min_page_score: 80,
            max_duplicate_similarity: 0.8,
            blocking: vec![
                CheckId::TitlePresent,
                CheckId::IsCrawlable,
                CheckId::RobotsAllowed,
                CheckId::BrokenLinks,
                CheckId::CrawlableAnchors,
                CheckId::RobotsTxtValid,
                CheckId::SitemapValid,
            ],
        }
    }
}

/// A page that keeps the site from publishing, and every check it fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageFailure {
    pub page: PageId,
    /// The score over the page's and its site checks.
    pub score: u8,
    pub failed: Vec<CheckId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateDecision {
    pub passed: bool,
    /// Failing pages, in the order of the page reports.
    pub failures: Vec<PageFailure>,
    /// Blocking checks of the whole site that failed (robots.txt, sitemap).
    pub site_failures: Vec<CheckId>,
}

pub fn gate(site: &SiteReport, pages: &[PageReport], settings: &GateSettings) -> GateDecision {
    let blocks = |id: &CheckId| settings.blocking.contains(id);
    let mut failures = Vec::new();
    for report in pages {
        let mut checks: Vec<CheckResult> = report.checks.clone();
        if let Some(site_checks) = site.pages.get(&report.page) {
            checks.extend(site_checks.iter().cloned());
        }
        let page_score = score(&checks);
        let mut failed: Vec<CheckId> = checks.iter().filter(|c| !c.passed).map(|c| c.id).collect();
        let too_similar = site
            .near_duplicates
            .iter()
            .any(|n| n.page == report.page && n.similarity > settings.max_duplicate_similarity);
        if too_similar && !failed.contains(&CheckId::NearDuplicate) {
            failed.push(CheckId::NearDuplicate);
        }
        if page_score < settings.min_page_score || too_similar || failed.iter().any(blocks) {
            failures.push(PageFailure {
                page: report.page.clone(),
                score: page_score,
                failed,
            });
        }
    }
    let site_failures: Vec<CheckId> = site
        .checks
        .iter()
        .filter(|c| !c.passed && blocks(&c.id))
        .map(|c| c.id)
        .collect();
    GateDecision {
        passed: failures.is_empty() && site_failures.is_empty(),
        failures,
        site_failures,
    }
}

#[cfg(test)]
mod tests;
