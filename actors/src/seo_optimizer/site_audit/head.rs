//! Checks of what crawlers read besides the prose: canonical, hreflang, structured data,
//! indexability (robots meta and robots.txt) and page weight.

use std::collections::{BTreeSet, HashMap};

use url::Url;

use super::context::{SiteContext, Target, url_key};
use super::links::outcome;
use super::model::{CheckId, CheckResult, PageStats};
use super::settings::AuditSettings;
use super::{hreflang, structured_data};

/// The crawler whose robots.txt group applies (Google falls back to `*` like everyone else).
const CRAWLER: &str = "Googlebot";

pub(crate) fn checks(
    site: &SiteContext<'_>,
    index: usize,
    settings: &AuditSettings,
    stats: &mut PageStats,
) -> Vec<CheckResult> {
    let scan = &site.scans[index];
    let page_url = site.urls[index].as_ref();
    let noindex: Vec<String> = scan
        .robots_meta
        .iter()
        .filter(|c| c.split(',').any(|d| matches!(d.trim(), "noindex" | "none")))
        .map(|c| format!("<meta name=\"robots\" content=\"{c}\">"))
        .collect();
    let robots_ok = page_url.is_none_or(|url| {
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        site.robots.allows(CRAWLER, &path)
    });
    vec![
        outcome(
            CheckId::CanonicalValid,
            5,
            &canonical_problems(site, index),
            "The canonical URL is valid",
            "canonical problems",
        ),
        outcome(
            CheckId::Hreflang,
            5,
            &hreflang_problems(site, index),
            "hreflang alternates are valid, self-referencing and reciprocal (or absent)",
            "hreflang problems",
        ),
        outcome(
            CheckId::StructuredData,
            5,
            &structured_data::problems(&scan.json_ld),
            "Structured data is valid (or absent)",
            "structured data problems",
        ),
        outcome(
            CheckId::IsCrawlable,
            15,
            &noindex,
            "No robots meta tag blocks indexing",
            "robots meta tags block indexing; remove noindex",
        ),
        CheckResult::new(
            CheckId::RobotsAllowed,
            15,
            robots_ok,
            if robots_ok {
                "robots.txt allows crawling the page"
            } else {
                "robots.txt disallows the page; remove the matching Disallow rule"
            },
        ),
        page_weight(site, index, settings, stats),
    ]
}

fn canonical_problems(site: &SiteContext<'_>, index: usize) -> Vec<String> {
    let scan = &site.scans[index];
    let mut problems = Vec::new();
    let distinct: BTreeSet<&str> = scan.canonicals.iter().map(String::as_str).collect();
    if distinct.len() > 1 {
        problems.push(format!("{} conflicting canonicals", distinct.len()));
    }
    let Some(href) = scan.canonicals.first() else {
        return problems;
    };
    let (Ok(canonical), Some(page)) = (Url::parse(href), site.urls[index].as_ref()) else {
        problems.push(format!("“{href}” is not an absolute URL"));
        return problems;
    };
    if canonical.host_str() != page.host_str() {
        problems.push(format!("“{href}” points to another host"));
    } else if url_key(&canonical) != url_key(page) {
        if canonical.path() == "/" && page.path() != "/" {
            problems.push(format!("“{href}” points to the home page"));
        } else if site.page_at(&canonical).is_none() {
            problems.push(format!("“{href}” is not a page of the site"));
        }
    }
    problems
}

fn hreflang_problems(site: &SiteContext<'_>, index: usize) -> Vec<String> {
    let alternates = &site.scans[index].alternates;
    if alternates.is_empty() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut self_referenced = false;
    for (code, href) in alternates {
        if !hreflang::is_valid(code) {
            problems.push(format!("“{code}” is not a valid hreflang code"));
        }
        if let Some(other) = seen.insert(code.to_ascii_lowercase(), href)
            && other != href
        {
            problems.push(format!("“{code}” names two URLs"));
        }
        let Ok(url) = Url::parse(href) else {
            problems.push(format!("“{href}” is not an absolute URL"));
            continue;
        };
        let Some(target) = site.page_at(&url) else {
            // Alternates on other sites cannot be checked for reciprocity here.
            continue;
        };
        if target == index {
            self_referenced = true;
        } else if !links_back(site, target, index) {
            problems.push(format!("{href} does not link back with hreflang"));
        }
    }
    if !self_referenced {
        problems.push("no alternate points to the page itself".to_owned());
    }
    problems
}

fn links_back(site: &SiteContext<'_>, from: usize, to: usize) -> bool {
    site.scans[from]
        .alternates
        .iter()
        .any(|(_, href)| Url::parse(href).is_ok_and(|url| site.page_at(&url) == Some(to)))
}

fn page_weight(
    site: &SiteContext<'_>,
    index: usize,
    settings: &AuditSettings,
    stats: &mut PageStats,
) -> CheckResult {
    let html_bytes = site.pages[index].html.len() as u64;
    let mut counted = BTreeSet::new();
    let mut unknown = Vec::new();
    let mut asset_bytes = 0u64;
    for asset in &site.scans[index].assets {
        if let Target::Internal(url) = site.classify(index, Some(asset)) {
            if !counted.insert(url.path().to_owned()) {
                continue;
            }
            match site.asset_bytes(&url) {
                Some(bytes) => asset_bytes += bytes,
                None => unknown.push(url.path().to_owned()),
            }
        }
    }
    stats.html_bytes = html_bytes;
    stats.asset_bytes = asset_bytes;
    let total = html_bytes + asset_bytes;
    let passed = total <= settings.max_page_bytes;
    let mut message = format!(
        "The page weighs {total} bytes ({html_bytes} HTML + {asset_bytes} in {} local assets); the budget is {}",
        counted.len() - unknown.len(),
        settings.max_page_bytes
    );
    if !passed {
        message.push_str("; shrink images or drop unused CSS and scripts");
    }
    if !unknown.is_empty() {
        message.push_str(&format!("; sizes unknown for {}", unknown.join(", ")));
    }
    CheckResult::new(CheckId::PageWeight, 4, passed, message)
}
