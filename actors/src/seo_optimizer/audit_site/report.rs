//! What `audit_site` answers and stores: the kind's output, the build's report and each page's
//! audit.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::review::{PageFixes, Review};
use crate::seo_optimizer::site_audit::{CheckId, CheckResult, PageReport};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub website_id: String,
    /// The build to publish: the audited one, or its fixed copy when fixes were applied.
    pub build_id: String,
    pub passed: bool,
    /// The lowest page score (0–100); every page must reach the minimum.
    pub score: u8,
    pub failures: Vec<Failure>,
    /// Blocking checks of the whole site that failed (robots.txt, sitemap).
    pub site_failures: Vec<FailedCheck>,
    /// Set when fixes were applied: the build they were applied to, which stays as it was.
    pub fixed_from: Option<String>,
    /// Pages changed by the automatic fixes.
    pub fixed_pages: usize,
}

/// A page that keeps the site from publishing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// The stored page's id, or the build path of a page the builder made itself.
    pub page: String,
    pub url: String,
    pub score: u8,
    pub checks: Vec<FailedCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedCheck {
    pub id: CheckId,
    pub message: String,
}

fn failed(checks: &[CheckResult], ids: &[CheckId]) -> Vec<FailedCheck> {
    ids.iter()
        .map(|id| FailedCheck {
            id: *id,
            message: checks
                .iter()
                .find(|c| c.id == *id && !c.passed)
                .map(|c| c.message.clone())
                .unwrap_or_else(|| "too similar to another page".to_owned()),
        })
        .collect()
}

pub(crate) fn failures(review: &Review) -> Vec<Failure> {
    review
        .decision
        .failures
        .iter()
        .filter_map(|failure| {
            let report = review.pages.iter().find(|r| r.page == failure.page)?;
            Some(Failure {
                page: failure.page.0.clone(),
                url: report.url.clone(),
                score: failure.score,
                checks: failed(&review.checks_of(report), &failure.failed),
            })
        })
        .collect()
}

pub(crate) fn site_failures(review: &Review) -> Vec<FailedCheck> {
    failed(&review.site.checks, &review.decision.site_failures)
}

/// The audit of one page as stored on its row.
pub(crate) fn page_audit(
    review: &Review,
    report: &PageReport,
    build_id: &str,
    fixes: &[PageFixes],
) -> Value {
    let checks = review.checks_of(report);
    let failed_ids: Vec<CheckId> = checks.iter().filter(|c| !c.passed).map(|c| c.id).collect();
    let passed = !review
        .decision
        .failures
        .iter()
        .any(|f| f.page == report.page);
    let fixed: Vec<_> = fixes
        .iter()
        .filter(|f| f.page == report.page)
        .flat_map(|f| f.applied.iter().cloned())
        .collect();
    json!({
        "build_id": build_id,
        "score": review.score_of(report),
        "passed": passed,
        "failed": failed(&checks, &failed_ids),
        "fixes": fixed,
        "stats": report.stats,
    })
}

/// The build's report: the verdict, every page's score and failed checks, the near-duplicates
/// and the fixes.
pub(crate) fn build_report(output: &Output, review: &Review, fixes: &[PageFixes]) -> Value {
    let pages: Vec<Value> = review
        .pages
        .iter()
        .map(|report| {
            let checks = review.checks_of(report);
            json!({
                "page": report.page,
                "url": report.url,
                "score": review.score_of(report),
                "failed": checks.iter().filter(|c| !c.passed).map(|c| c.id).collect::<Vec<_>>(),
            })
        })
        .collect();
    let fixes: Vec<Value> = fixes
        .iter()
        .map(|f| json!({ "page": f.page, "url": f.url, "applied": f.applied }))
        .collect();
    json!({
        "passed": output.passed,
        "score": output.score,
        "failures": output.failures,
        "site_failures": output.site_failures,
        "pages": pages,
        "near_duplicates": review.site.near_duplicates,
        "fixes": fixes,
        "fixed_from": output.fixed_from,
    })
}
