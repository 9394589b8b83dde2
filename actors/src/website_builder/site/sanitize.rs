//! Markdown from people and the LLM to safe HTML: rendered by pulldown-cmark, then cleaned by
//! ammonia, so whatever the text holds (`<script>`, `onclick`, `javascript:`) never runs.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Link schemes an article may use.
const URL_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// What monetised pages put on outbound links (Google's rule for paid links).
pub const SPONSORED_REL: &str = "sponsored nofollow";

/// A reusable cleaner; building one sets up ammonia's tables once per site build.
pub struct Sanitizer {
    cleaner: ammonia::Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Sanitizer {
    pub fn new() -> Self {
        let mut cleaner = ammonia::Builder::default();
        // `rel` is added after cleaning (only on monetised pages' outbound links); ammonia
        // would otherwise force its own `rel` onto every link.
        cleaner
            .link_rel(None)
            .url_schemes(HashSet::from(URL_SCHEMES))
            .url_relative(ammonia::UrlRelative::PassThrough);
        Self { cleaner }
    }

    /// Safe HTML for a Markdown body. Level-1 headings become level-2, because the theme
    /// gives every page its one `<h1>` from the title.
    pub fn markdown(&self, markdown: &str, sponsored_links: bool) -> String {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        let events = Parser::new_ext(markdown, options).map(|event| match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                Event::End(TagEnd::Heading(HeadingLevel::H2))
            }
            other => other,
        });
        let mut raw = String::with_capacity(markdown.len() * 3 / 2);
        html::push_html(&mut raw, events);
        let clean = self.cleaner.clean(&raw).to_string();
        if sponsored_links {
            mark_outbound_links(&clean)
        } else {
            clean
        }
    }
}

/// Adds `rel="sponsored nofollow"` to every `<a>` whose `href` leaves the site (an absolute
/// http(s) URL). Works on ammonia's output, whose tags are well formed and carry no `rel`.
pub fn mark_outbound_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(start) = rest.find("<a ") {
        let (before, tag_and_after) = rest.split_at(start);
        out.push_str(before);
        let end = tag_end(tag_and_after);
        let tag = &tag_and_after[..end];
        let outbound = href_of(tag).is_some_and(|href| {
            let href = href.to_ascii_lowercase();
            href.starts_with("http://") || href.starts_with("https://") || href.starts_with("//")
        });
        if outbound && tag.ends_with('>') {
            out.push_str(&tag[..tag.len() - 1]);
            out.push_str(" rel=\"");
            out.push_str(SPONSORED_REL);
            out.push_str("\">");
        } else {
            out.push_str(tag);
        }
        rest = &tag_and_after[end..];
    }
    out.push_str(rest);
    out
}

/// The byte index just past the tag's closing `>`, skipping `>` inside quoted values.
fn tag_end(tag: &str) -> usize {
    let mut quoted = false;
    for (i, c) in tag.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return i + 1,
            _ => {}
        }
    }
    tag.len()
}

fn href_of(tag: &str) -> Option<&str> {
    let start = tag.find(" href=\"")? + " href=\"".len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_script_urls_are_removed() {
        let html = Sanitizer::new().markdown(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [a](javascript:alert(3))\n\n<div onclick=\"x()\">d</div>",
            false,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("Hi"), "{html}");
    }

    #[test]
    fn h1_becomes_h2_and_tables_survive() {
        let html = Sanitizer::new().markdown("# Top\n\n|a|b|\n|-|-|\n|1|2|\n", false);
        assert!(html.contains("<h2>Top</h2>"), "{html}");
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn only_outbound_links_become_sponsored() {
        let html = Sanitizer::new().markdown(
            "[shop](https://shop.example/p?a=1&b=2 \"x>y\") and [home](/kitchen/) and [mail](mailto:a@b.c)",
            true,
        );
        assert_eq!(
            html.matches("rel=\"sponsored nofollow\"").count(),
            1,
            "{html}"
        );
        assert!(html.contains("<a href=\"/kitchen/\">home</a>"), "{html}");
        let plain = Sanitizer::new().markdown("[shop](https://shop.example/)", false);
        assert!(!plain.contains("rel="), "{plain}");
    }
}
