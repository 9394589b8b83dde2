//! The crawler-facing files: `sitemap.xml` (an index past the per-file limit), `robots.txt`
//! and the RSS feed of articles.

use chrono::{DateTime, SecondsFormat, Utc};

use super::html::escape;

/// The sitemap protocol's limit of URLs per file.
pub const MAX_URLS_PER_SITEMAP: usize = 50_000;
/// Items in the RSS feed, newest first.
pub const FEED_ITEMS: usize = 50;

pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: DateTime<Utc>,
}

/// The sitemap files as `(path, xml)`: one `sitemap.xml` urlset, or, past `max_per_file`
/// URLs, `sitemap-1.xml` … plus a `sitemap.xml` index naming them.
pub fn sitemaps(base: &str, urls: &[SitemapUrl], max_per_file: usize) -> Vec<(String, String)> {
    let max = max_per_file.max(1);
    if urls.len() <= max {
        return vec![("sitemap.xml".to_owned(), urlset(urls))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in urls.chunks(max).enumerate() {
        let path = format!("sitemap-{}.xml", i + 1);
        let newest = chunk.iter().map(|u| u.lastmod).max();
        index.push_str(&format!(
            "<sitemap><loc>{}</loc>{}</sitemap>\n",
            escape(&format!("{base}{path}")),
            newest.map(lastmod).unwrap_or_default()
        ));
        files.push((path, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".to_owned(), index));
    files
}

fn urlset(urls: &[SitemapUrl]) -> String {
    let mut xml = String::with_capacity(urls.len() * 120 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        xml.push_str(&format!(
            "<url><loc>{}</loc>{}</url>\n",
            escape(&url.loc),
            lastmod(url.lastmod)
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

fn lastmod(at: DateTime<Utc>) -> String {
    format!(
        "<lastmod>{}</lastmod>",
        at.to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

pub fn robots_txt(base: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n")
}

pub struct FeedItem {
    pub title: String,
    pub link: String,
    pub description: String,
    pub published: DateTime<Utc>,
}

/// RSS 2.0 of the newest [`FEED_ITEMS`] items (the caller sorts them newest first).
pub fn rss(
    title: &str,
    base: &str,
    language: &str,
    description: &str,
    items: &[FeedItem],
) -> String {
    let mut xml = String::with_capacity(items.len() * 300 + 400);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    xml.push_str(&format!(
        "<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>{}</language>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape(title),
        escape(base),
        escape(description),
        escape(language),
        escape(&format!("{base}feed.xml"))
    ));
    if let Some(newest) = items.iter().map(|i| i.published).max() {
        xml.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>\n",
            newest.to_rfc2822()
        ));
    }
    for item in items.iter().take(FEED_ITEMS) {
        xml.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"true\">{}</guid><description>{}</description><pubDate>{}</pubDate></item>\n",
            escape(&item.title),
            escape(&item.link),
            escape(&item.link),
            escape(&item.description),
            item.published.to_rfc2822()
        ));
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}
