//! Link checks: descriptive text, crawlable anchors, internal links, broken internal links and
//! `noopener` on external links that open a new tab.

use super::context::{SiteContext, Target};
use super::model::{CheckId, CheckResult, PageStats};

/// Link texts that say nothing about the target (Lighthouse's list, plus German), compared
/// lower-cased with punctuation removed.
const VAGUE: &[&str] = &[
    "click here",
    "click this",
    "go",
    "here",
    "information",
    "learn more",
    "more",
    "more info",
    "more information",
    "right here",
    "read more",
    "see more",
    "start",
    "this",
    "link",
    "continue",
    "hier",
    "hier klicken",
    "klicke hier",
    "klicken sie hier",
    "mehr",
    "mehr erfahren",
    "mehr infos",
    "mehr informationen",
    "weiterlesen",
    "weiter",
    "mehr lesen",
    "hier entlang",
    "dieser link",
];

pub(crate) fn checks(
    site: &SiteContext<'_>,
    index: usize,
    stats: &mut PageStats,
) -> Vec<CheckResult> {
    let scan = &site.scans[index];
    let mut vague = Vec::new();
    let mut uncrawlable = Vec::new();
    let mut broken = Vec::new();
    let mut unsafe_blank = Vec::new();
    for anchor in &scan.anchors {
        let target = site.classify(index, anchor.href.as_deref());
        match &target {
            Target::Missing if anchor.is_target => continue,
            Target::Missing => uncrawlable.push("<a> without href".to_owned()),
            Target::Javascript => {
                uncrawlable.push(format!("href=\"{}\"", anchor.href.as_deref().unwrap_or("")))
            }
            Target::Invalid => uncrawlable.push(format!(
                "unparsable href=\"{}\"",
                anchor.href.as_deref().unwrap_or("")
            )),
            // A sponsored link on the site's own host is the `/go/{code}` redirect to a
            // merchant: an outbound link, not a page of the site.
            Target::Internal(_) if anchor.rel.iter().any(|r| r == "sponsored") => {
                stats.external_links += 1;
            }
            Target::Internal(url) => {
                stats.internal_links += 1;
                if site.page_at(url).is_none() && site.asset_bytes(url).is_none() {
                    broken.push(url.path().to_owned());
                }
            }
            Target::External(url) => {
                stats.external_links += 1;
                if anchor.target_blank
                    && !anchor
                        .rel
                        .iter()
                        .any(|r| r == "noopener" || r == "noreferrer")
                {
                    unsafe_blank.push(url.to_string());
                }
            }
            Target::Other => {}
        }
        if matches!(target, Target::Internal(_) | Target::External(_)) {
            let text = anchor.aria_label.as_deref().unwrap_or(&anchor.text);
            if is_vague(text) {
                vague.push(format!("“{text}”"));
            }
        }
    }
    vec![
        outcome(
            CheckId::LinkText,
            5,
            &vague,
            "Every link has descriptive text",
            "links have no or vague text; say where they lead",
        ),
        outcome(
            CheckId::CrawlableAnchors,
            5,
            &uncrawlable,
            "Every link has a crawlable href",
            "links cannot be crawled; give them a real href",
        ),
        CheckResult::new(
            CheckId::InternalLinks,
            3,
            stats.internal_links > 0,
            if stats.internal_links > 0 {
                format!("The page links to {} internal URLs", stats.internal_links)
            } else {
                "The page has no internal links; link to related pages of the site".to_owned()
            },
        ),
        outcome(
            CheckId::BrokenLinks,
            10,
            &broken,
            "Every internal link leads to a page or file of the site",
            "internal links lead nowhere; fix or remove them",
        ),
        outcome(
            CheckId::ExternalLinksNoopener,
            2,
            &unsafe_blank,
            "External links that open a new tab carry rel=\"noopener\"",
            "external target=_blank links lack rel=\"noopener\"",
        ),
    ]
}

pub(crate) fn is_vague(text: &str) -> bool {
    let normal: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_lowercase();
    let normal = normal.split_whitespace().collect::<Vec<_>>().join(" ");
    normal.is_empty() || VAGUE.contains(&normal.as_str())
}

/// Passes when `problems` is empty; otherwise names up to five of them.
pub(crate) fn outcome(
    id: CheckId,
    weight: u32,
    problems: &[String],
    if_passed: &str,
    if_failed: &str,
) -> CheckResult {
    if problems.is_empty() {
        return CheckResult::new(id, weight, true, if_passed);
    }
    let shown: Vec<&str> = problems.iter().take(5).map(String::as_str).collect();
    let more = problems.len().saturating_sub(shown.len());
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    CheckResult::new(
        id,
        weight,
        false,
        format!("{} {if_failed}: {}{tail}", problems.len(), shown.join(", ")),
    )
}
