//! What a competitor page shows: title, headings, word count and links, read from its HTML
//! with a small tag scanner (no scripts run, nothing fetched).

use serde::{Deserialize, Serialize};
use url::Url;

/// Links kept per page; a page with more is summarised by its counts.
const MAX_LINKS: usize = 200;
const MAX_HEADINGS: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageSummary {
    pub title: Option<String>,
    pub headings: Vec<Heading>,
    pub word_count: usize,
    /// Absolute http(s) links, at most 200, in page order without repeats.
    pub links: Vec<String>,
    pub internal_links: usize,
    pub external_links: usize,
}

/// Reads `html` served at `base`.
pub fn summarise(html: &str, base: &Url) -> PageSummary {
    let mut summary = PageSummary::default();
    let mut text = String::new();
    let mut open: Option<(u8, String)> = None;
    let mut in_title = false;
    let mut title = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        visible(&rest[..lt], &mut text, &mut open, in_title, &mut title);
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name = tag_name(tag);
        match name.as_str() {
            "script" | "style" | "noscript" | "template" => {
                let close = format!("</{name}");
                match find_ci(rest, &close) {
                    Some(end) => rest = &rest[end..],
                    None => rest = "",
                }
            }
            "!--" => match rest.find("-->") {
                Some(end) => rest = &rest[end + 3..],
                None if tag.ends_with("--") => {}
                None => rest = "",
            },
            "title" => in_title = true,
            "/title" => in_title = false,
            "a" => {
                if let Some(href) = attribute(tag, "href") {
                    add_link(&mut summary, base, &href);
                }
            }
            _ => {}
        }
        if let Some(level) = heading_level(&name, false) {
            open = Some((level, String::new()));
        } else if heading_level(&name, true).is_some()
            && let Some((level, heading)) = open.take()
        {
            let heading = squash(&heading);
            if !heading.is_empty() && summary.headings.len() < MAX_HEADINGS {
                summary.headings.push(Heading {
                    level,
                    text: heading,
                });
            }
        }
        text.push(' ');
    }
    visible(rest, &mut text, &mut open, in_title, &mut title);
    let title = squash(&title);
    summary.title = (!title.is_empty()).then_some(title);
    summary.word_count = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    summary
}

fn visible(
    chunk: &str,
    text: &mut String,
    open: &mut Option<(u8, String)>,
    in_title: bool,
    title: &mut String,
) {
    let chunk = decode_entities(chunk);
    if in_title {
        title.push_str(&chunk);
        return;
    }
    text.push_str(&chunk);
    if let Some((_, heading)) = open {
        heading.push_str(&chunk);
    }
}

fn tag_name(tag: &str) -> String {
    if tag.starts_with("!--") {
        return "!--".into();
    }
    tag.split(|c: char| c.is_whitespace() || c == '>' || (c == '/' && !tag.starts_with('/')))
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn heading_level(name: &str, closing: bool) -> Option<u8> {
    let name = if closing {
        name.strip_prefix('/')?
    } else {
        name
    };
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

/// The value of attribute `name` in a tag's text, quoted or not.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let start = from + at;
        from = start + name.len();
        let before_ok = start == 0 || lower.as_bytes()[start - 1].is_ascii_whitespace();
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = tag[tag.len() - after.len() + 1..].trim_start();
        let parsed = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return Some(decode_entities(parsed));
    }
    None
}

fn add_link(summary: &mut PageSummary, base: &Url, href: &str) {
    let Ok(url) = base.join(href.trim()) else {
        return;
    };
    if !matches!(url.scheme(), "http" | "https") {
        return;
    }
    if url.host_str() == base.host_str() {
        summary.internal_links += 1;
    } else {
        summary.external_links += 1;
    }
    let url = url.to_string();
    if summary.links.len() < MAX_LINKS && !summary.links.contains(&url) {
        summary.links.push(url);
    }
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_words_and_links_are_read_and_scripts_ignored() {
        let html = r#"<html><head><title>Best  Kettles</title><style>h1{}</style></head>
            <body><h1>Kettles &amp; more</h1><p>Three words here.</p>
            <script>var x = "<h2>no</h2>";</script><!-- <h2>hidden</h2> -->
            <h2 class="x">Buying <em>guide</em></h2>
            <a href="/reviews">Reviews</a> <a href='https://other.example/p?q=1'>Other</a>
            <a href="mailto:a@b.c">Mail</a><a href=/reviews>Again</a></body></html>"#;
        let base = Url::parse("https://shop.example/kettles").unwrap();
        let page = summarise(html, &base);
        assert_eq!(page.title.as_deref(), Some("Best Kettles"));
        assert_eq!(
            page.headings,
            vec![
                Heading {
                    level: 1,
                    text: "Kettles & more".into()
                },
                Heading {
                    level: 2,
                    text: "Buying guide".into()
                },
            ]
        );
        assert_eq!(
            page.links,
            vec![
                "https://shop.example/reviews",
                "https://other.example/p?q=1"
            ]
        );
        assert_eq!((page.internal_links, page.external_links), (2, 1));
        // Kettles more Three words here Buying guide Reviews Other Mail Again (the "&" has no letters).
        assert_eq!(page.word_count, 11);
    }
}
