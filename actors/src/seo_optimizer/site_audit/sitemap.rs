//! Reading a sitemap (the sitemaps.org 0.9 `urlset`): its `<loc>` URLs and what is wrong with it.

use super::super::entities;
use super::super::html_scan::{Token, tokenize};

/// The protocol's limit of URLs in one file.
const MAX_URLS: usize = 50_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sitemap {
    pub locs: Vec<String>,
    pub problems: Vec<String>,
}

pub(crate) fn parse(xml: &str) -> Sitemap {
    let mut sitemap = Sitemap::default();
    let mut in_loc = false;
    let mut in_url = false;
    let mut saw_urlset = false;
    let mut current = String::new();
    for token in tokenize(xml) {
        match &token {
            Token::Start { name, .. } if name == "urlset" => {
                saw_urlset = true;
                if token.attr("xmlns") != Some("http://www.sitemaps.org/schemas/sitemap/0.9") {
                    sitemap.problems.push(
                        "<urlset> lacks xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""
                            .into(),
                    );
                }
            }
            Token::Start { name, .. } if name == "url" => in_url = true,
            Token::End { name } if name == "url" => in_url = false,
            Token::Start { name, .. } if name == "loc" => {
                in_loc = true;
                current.clear();
            }
            Token::Text(text) if in_loc => current.push_str(text),
            Token::End { name } if name == "loc" && in_loc => {
                in_loc = false;
                let loc = entities::decode(current.trim());
                if !in_url {
                    sitemap
                        .problems
                        .push(format!("<loc>{loc}</loc> is outside <url>"));
                } else if url::Url::parse(&loc).is_err() {
                    sitemap
                        .problems
                        .push(format!("“{loc}” is not an absolute URL"));
                } else {
                    sitemap.locs.push(loc);
                }
            }
            _ => {}
        }
    }
    if !saw_urlset {
        sitemap.problems.push("no <urlset> element".into());
    }
    if sitemap.locs.len() > MAX_URLS {
        sitemap.problems.push(format!(
            "{} URLs; at most {MAX_URLS} per file",
            sitemap.locs.len()
        ));
    }
    sitemap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_sitemap_yields_its_urls() {
        let sitemap = parse(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.com/</loc><lastmod>2025-01-01</lastmod></url>
  <url><loc> https://example.com/a?x=1&amp;y=2 </loc></url>
</urlset>"#,
        );
        assert!(sitemap.problems.is_empty(), "{:?}", sitemap.problems);
        assert_eq!(
            sitemap.locs,
            ["https://example.com/", "https://example.com/a?x=1&y=2"]
        );
    }

    #[test]
    fn broken_sitemaps_name_their_problems() {
        assert_eq!(parse("").problems, ["no <urlset> element"]);
        let sitemap =
            parse("<urlset><url><loc>/relative</loc></url><loc>https://e.com/</loc></urlset>");
        assert_eq!(sitemap.problems.len(), 3, "{:?}", sitemap.problems);
        assert!(sitemap.locs.is_empty());
    }
}
