//! The content plan of a site, pure: a home page, 2–5 category pages grouping the keywords
//! (the broadest ones head a category), and articles that cycle through reviews, comparisons,
//! best-of lists and how-to guides, so home + categories + articles = the site's page count.

use std::collections::HashSet;

use empire_schema::models::PlannedPage;
use empire_schema::types::{ArticleType, PageKind};

use crate::content_generator::outline::text::{
    capitalize_first, normalize_space, slugify, title_case,
};
use crate::content_generator::outline::{self, Language, MAX_SLUG_CHARS};
use crate::intelligence::nlp;
use crate::opportunity_scanner::site_keywords::expansions;

/// Slugs the site builder uses for its own pages and files.
const RESERVED_SLUGS: &[&str] = &[
    "imprint",
    "privacy",
    "impressum",
    "datenschutz",
    "assets",
    "feed",
    "sitemap",
    "robots",
    "go",
];
/// The order articles take types in when their keyword names none.
const CYCLE: [outline::ArticleType; 4] = [
    outline::ArticleType::Review,
    outline::ArticleType::Comparison,
    outline::ArticleType::Listicle,
    outline::ArticleType::Guide,
];

/// What the plan needs to know about the site.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSite<'a> {
    pub name: &'a str,
    pub niche: &'a str,
    pub language: Language,
    /// Home + categories + articles.
    pub pages: usize,
}

/// Categories for a site of `pages` pages: one per six pages, 2 to 5.
pub fn category_count(pages: usize) -> usize {
    (pages / 6).clamp(2, 5)
}

/// The site's pages in plan order (positions from 0). Keywords come in best first; when they
/// are too few, expansions of the niche fill in. Keywords that cannot title a page (no letter
/// or digit, over 100 characters) are skipped.
pub fn plan(site: &PlanSite<'_>, keywords: &[String]) -> Vec<PlannedPage> {
    let niche = normalize_space(site.niche);
    let needed = site.pages.saturating_sub(1);
    let mut slugs: HashSet<String> = RESERVED_SLUGS.iter().map(|s| (*s).to_owned()).collect();
    slugs.insert(String::new());
    let mut pages = vec![PlannedPage {
        slug: String::new(),
        kind: PageKind::Home,
        article_type: None,
        keyword: niche.clone(),
        category: None,
        title: normalize_space(site.name),
        position: 0,
    }];
    let pool = candidates(&niche, site.language, keywords, needed);
    let categories = category_count(site.pages)
        .min(needed.saturating_sub(1))
        .max(1);
    let heads = category_heads(&pool, site.language, categories);
    let mut members = vec![0usize; heads.len()];
    let mut category_slugs = Vec::with_capacity(heads.len());
    for &at in &heads {
        let keyword = &pool[at];
        let slug = unique_slug(&slugify(keyword, MAX_SLUG_CHARS), &mut slugs);
        category_slugs.push(slug.clone());
        pages.push(PlannedPage {
            slug,
            kind: PageKind::Category,
            article_type: Some(ArticleType::Category),
            keyword: keyword.clone(),
            category: None,
            title: display(keyword, site.language),
            position: pages.len() as i64,
        });
    }
    let niche_stems: HashSet<String> = nlp::stems(&niche, site.language).into_iter().collect();
    let head_stems: Vec<HashSet<String>> = heads
        .iter()
        .map(|&at| topic_stems(&pool[at], site.language, &niche_stems))
        .collect();
    let mut written = 0usize;
    for (at, keyword) in pool.iter().enumerate() {
        if pages.len() >= site.pages {
            break;
        }
        if heads.contains(&at) {
            continue;
        }
        let kind =
            outline::named_type(keyword, site.language).unwrap_or(CYCLE[written % CYCLE.len()]);
        let Ok(outlined) = outline::run(&outline::Input {
            keyword: keyword.clone(),
            article_type: kind,
            language: site.language,
            website_id: None,
        }) else {
            continue;
        };
        let stems = topic_stems(keyword, site.language, &niche_stems);
        let group = best_group(&stems, &head_stems, &members);
        members[group] += 1;
        written += 1;
        pages.push(PlannedPage {
            slug: unique_slug(&outlined.slug, &mut slugs),
            kind: PageKind::Article,
            article_type: Some(article_type(kind)),
            keyword: keyword.clone(),
            category: category_slugs.get(group).cloned(),
            title: outlined.title,
            position: pages.len() as i64,
        });
    }
    pages
}

pub fn article_type(kind: outline::ArticleType) -> ArticleType {
    match kind {
        outline::ArticleType::Review => ArticleType::Review,
        outline::ArticleType::Comparison => ArticleType::Comparison,
        outline::ArticleType::Listicle => ArticleType::Listicle,
        outline::ArticleType::Guide => ArticleType::Guide,
    }
}

/// The keywords the plan draws on, best first, without the niche itself (the home page's) or
/// repeats, topped up with expansions; a few spare ones cover keywords an outline refuses.
fn candidates(niche: &str, language: Language, keywords: &[String], needed: usize) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::from([niche.to_lowercase()]);
    let usable = |k: &String| {
        let chars = k.chars().count();
        (1..=outline::MAX_KEYWORD_CHARS).contains(&chars) && k.chars().any(char::is_alphanumeric)
    };
    let mut pool: Vec<String> = keywords
        .iter()
        .map(|k| normalize_space(k))
        .filter(|k| usable(k) && seen.insert(k.to_lowercase()))
        .collect();
    let spare = needed + needed / 4 + 2;
    if pool.len() < spare {
        for keyword in expansions(niche, language, spare + pool.len() + 1) {
            if pool.len() >= spare {
                break;
            }
            if usable(&keyword) && seen.insert(keyword.to_lowercase()) {
                pool.push(keyword);
            }
        }
    }
    pool
}

/// Indices of the keywords that head categories: the broadest (fewest words, naming no article
/// type), best first among equals, with distinct slugs.
fn category_heads(pool: &[String], language: Language, count: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..pool.len()).collect();
    order.sort_by_key(|&at| {
        let keyword = &pool[at];
        (
            outline::named_type(keyword, language).is_some(),
            keyword.split_whitespace().count(),
            at,
        )
    });
    let mut slugs = HashSet::new();
    let mut heads: Vec<usize> = order
        .into_iter()
        .filter(|&at| {
            let slug = slugify(&pool[at], MAX_SLUG_CHARS);
            !slug.is_empty() && slugs.insert(slug)
        })
        .take(count)
        .collect();
    heads.sort_unstable();
    heads
}

/// A keyword's stems beyond the niche's: what tells its topic apart within the site.
fn topic_stems(keyword: &str, language: Language, niche: &HashSet<String>) -> HashSet<String> {
    nlp::stems(keyword, language)
        .into_iter()
        .filter(|stem| !niche.contains(stem) && !nlp::is_stop_word(stem, language))
        .collect()
}

/// The category sharing most topic stems with an article; among equals the smallest, then the
/// first, so unrelated articles spread evenly.
fn best_group(stems: &HashSet<String>, heads: &[HashSet<String>], members: &[usize]) -> usize {
    (0..heads.len())
        .max_by_key(|&i| {
            let shared = heads[i].intersection(stems).count();
            (shared, std::cmp::Reverse(members[i]), std::cmp::Reverse(i))
        })
        .unwrap_or(0)
}

/// `base`, or `base-2`, `base-3`, … the first free one; recorded as taken.
fn unique_slug(base: &str, taken: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "page" } else { base };
    let mut slug = base.to_owned();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(slug.clone());
    slug
}

/// A keyword as a heading: title case in English, a capital first letter in German.
pub fn display(keyword: &str, language: Language) -> String {
    let keyword = normalize_space(keyword);
    match language {
        Language::En => title_case(&keyword),
        Language::De => capitalize_first(&keyword),
    }
}
