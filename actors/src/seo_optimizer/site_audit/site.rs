//! The per-site audit: robots.txt and sitemap validity, sitemap coverage, orphan pages,
//! duplicate titles and descriptions, thin pages and near-duplicate content.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use url::Url;

use super::context::{SiteContext, Target, url_key};
use super::duplicates::{DocKey, DuplicateConfig, DuplicateError, DuplicateIndex};
use super::links::outcome;
use super::model::{CheckId, CheckResult, PageId, PageKind, WebsiteId};
use super::settings::AuditSettings;
use super::sitemap;

/// A page of this site whose content nearly matches another page (of any site).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicate {
    pub page: PageId,
    pub other: DocKey,
    pub similarity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteReport {
    pub website: WebsiteId,
    /// Checks of the site as a whole: `robots_txt_valid`, `sitemap_valid`, `sitemap_extra_urls`.
    pub checks: Vec<CheckResult>,
    /// Site checks that concern one page, for every page: `in_sitemap`, `orphan_page`,
    /// `duplicate_title`, `duplicate_description`, `thin_page`, `near_duplicate`.
    pub pages: BTreeMap<PageId, Vec<CheckResult>>,
    /// Every near-duplicate found, most similar first.
    pub near_duplicates: Vec<NearDuplicate>,
}

/// Audits the site as a whole. Near-duplicates are looked for among the site's own pages and,
/// when `duplicates` is given, among every page in that index (other sites'); the site's pages
/// are not added to it.
pub fn audit_site(
    site: &SiteContext<'_>,
    sitemap_xml: &str,
    duplicates: Option<&DuplicateIndex>,
    settings: &AuditSettings,
) -> Result<SiteReport, DuplicateError> {
    let sitemap = sitemap::parse(sitemap_xml);
    let mut checks = vec![
        outcome(
            CheckId::RobotsTxtValid,
            5,
            &site
                .robots
                .errors
                .iter()
                .map(|(line, what)| format!("line {line}: {what}"))
                .collect::<Vec<_>>(),
            "robots.txt is valid",
            "robots.txt errors",
        ),
        outcome(
            CheckId::SitemapValid,
            5,
            &sitemap.problems,
            "sitemap.xml is valid",
            "sitemap.xml problems",
        ),
    ];
    let listed: HashSet<String> = sitemap
        .locs
        .iter()
        .filter_map(|loc| Url::parse(loc).ok())
        .map(|url| url_key(&url))
        .collect();
    let extra: Vec<String> = sitemap
        .locs
        .iter()
        .filter(|loc| Url::parse(loc).is_ok_and(|url| site.page_at(&url).is_none()))
        .cloned()
        .collect();
    checks.push(outcome(
        CheckId::SitemapExtraUrls,
        5,
        &extra,
        "sitemap.xml lists only pages of the site",
        "sitemap URLs are not pages of the site; remove them",
    ));

    let inbound = inbound_links(site);
    let titles = counts(site.facts.iter().map(|f| f.title.as_deref()));
    let descriptions = counts(site.facts.iter().map(|f| f.meta_description.as_deref()));
    let near = near_duplicates(site, duplicates)?;

    let mut pages = BTreeMap::new();
    for (index, page) in site.pages.iter().enumerate() {
        let facts = &site.facts[index];
        let in_sitemap = site.urls[index]
            .as_ref()
            .is_some_and(|url| listed.contains(&url_key(url)));
        let words = nlp_words(site, index);
        let thin = page.kind != PageKind::Legal && words < settings.min_words;
        let orphan = page.kind != PageKind::Home && inbound[index] == 0;
        let title_dupes = shared(&titles, facts.title.as_deref());
        let description_dupes = shared(&descriptions, facts.meta_description.as_deref());
        let best = near.iter().find(|n| n.page == page.id);
        let mut list = vec![
            CheckResult::new(
                CheckId::InSitemap,
                5,
                in_sitemap,
                if in_sitemap {
                    "The page is listed in sitemap.xml".to_owned()
                } else {
                    format!("{} is missing from sitemap.xml; add it", page.url)
                },
            ),
            CheckResult::new(
                CheckId::OrphanPage,
                5,
                !orphan,
                if orphan {
                    "No other page links here; link to it from a related page".to_owned()
                } else {
                    format!("{} internal links lead here", inbound[index])
                },
            ),
            CheckResult::new(
                CheckId::DuplicateTitle,
                5,
                title_dupes < 2,
                if title_dupes < 2 {
                    "The title is unique on the site".to_owned()
                } else {
                    format!("{title_dupes} pages share this title; make it unique")
                },
            ),
            CheckResult::new(
                CheckId::DuplicateDescription,
                3,
                description_dupes < 2,
                if description_dupes < 2 {
                    "The meta description is unique on the site".to_owned()
                } else {
                    format!("{description_dupes} pages share this meta description; make it unique")
                },
            ),
            CheckResult::new(
                CheckId::ThinPage,
                5,
                !thin,
                if thin {
                    format!(
                        "{words} words of main content; write at least {}",
                        settings.min_words
                    )
                } else {
                    format!("{words} words of main content")
                },
            ),
        ];
        list.push(match best {
            Some(found) => CheckResult::new(
                CheckId::NearDuplicate,
                10,
                false,
                format!(
                    "{:.0} % similar to page {} of website {}; rewrite it",
                    found.similarity * 100.0,
                    found.other.page,
                    found.other.website
                ),
            ),
            None => CheckResult::new(CheckId::NearDuplicate, 10, true, "No near-duplicate found"),
        });
        pages.insert(page.id.clone(), list);
    }
    Ok(SiteReport {
        website: site.website.clone(),
        checks,
        pages,
        near_duplicates: near,
    })
}

fn nlp_words(site: &SiteContext<'_>, index: usize) -> usize {
    crate::intelligence::nlp::words(&site.scans[index].main_text).len()
}

/// For each page, how many other pages of the site link to it.
fn inbound_links(site: &SiteContext<'_>) -> Vec<usize> {
    let mut inbound = vec![0usize; site.pages.len()];
    for (from, scan) in site.scans.iter().enumerate() {
        let mut targets = HashSet::new();
        for anchor in &scan.anchors {
            if let Target::Internal(url) = site.classify(from, anchor.href.as_deref())
                && let Some(to) = site.page_at(&url)
                && to != from
            {
                targets.insert(to);
            }
        }
        for to in targets {
            inbound[to] += 1;
        }
    }
    inbound
}

fn normal(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn counts<'a>(texts: impl Iterator<Item = Option<&'a str>>) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for text in texts.flatten().map(normal).filter(|t| !t.is_empty()) {
        *counts.entry(text).or_insert(0) += 1;
    }
    counts
}

fn shared(counts: &HashMap<String, usize>, text: Option<&str>) -> usize {
    text.map(normal)
        .and_then(|t| counts.get(&t).copied())
        .unwrap_or(0)
}

/// The most similar other page for each page that has one at or above the threshold, among
/// the site's own pages and the pages in `index`.
fn near_duplicates(
    site: &SiteContext<'_>,
    index: Option<&DuplicateIndex>,
) -> Result<Vec<NearDuplicate>, DuplicateError> {
    let config = index.map_or_else(DuplicateConfig::default, |i| i.config().clone());
    let mut local = DuplicateIndex::new(config)?;
    let mut signatures = Vec::with_capacity(site.pages.len());
    for (page, text) in site.main_texts() {
        let key = DocKey {
            website: site.website.clone(),
            page: page.id.clone(),
        };
        let signature = local.signature(text);
        local.insert(key.clone(), signature.clone())?;
        signatures.push((key, signature));
    }
    let mut found = Vec::new();
    for (key, signature) in &signatures {
        let mut matches = local.query(signature, Some(key))?;
        if let Some(global) = index {
            // The index may hold this site's own pages as last written: not "other sites".
            let others = global.query(signature, Some(key))?.into_iter();
            matches.extend(others.filter(|found| found.key.website != key.website));
        }
        let best = matches.into_iter().max_by(|a, b| {
            a.similarity
                .total_cmp(&b.similarity)
                .then(b.key.cmp(&a.key))
        });
        if let Some(best) = best {
            found.push(NearDuplicate {
                page: key.page.clone(),
                other: best.key,
                similarity: best.similarity,
            });
        }
    }
    found.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(a.page.cmp(&b.page))
    });
    Ok(found)
}
