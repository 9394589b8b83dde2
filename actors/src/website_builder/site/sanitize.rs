//! Markdown from people and the LLM to safe HTML: rendered by pulldown-cmark, then cleaned by
//! ammonia, so whatever the text holds (`<script>`, `onclick`, `javascript:`) never runs.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::html::escape;
use super::images::{self, Images};

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
            .url_relative(ammonia::UrlRelative::PassThrough)
            .add_tag_attributes("img", ["loading", "decoding"]);
        Self { cleaner }
    }

    /// Safe HTML for a Markdown body. Level-1 headings become level-2, because the theme
    /// gives every page its one `<h1>` from the title. Pictures show their localised copy,
    /// sized and loaded lazily; a picture with none is left out.
    pub fn markdown(&self, markdown: &str, sponsored_links: bool, pictures: Pictures) -> String {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        let parsed = localise_images(Parser::new_ext(markdown, options), pictures);
        let events = parsed.into_iter().map(|event| match event {
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

/// Where a body's pictures are served from: the build's localised copies, under the site's root.
#[derive(Clone, Copy)]
pub struct Pictures<'a> {
    pub images: &'a Images,
    pub root: &'a str,
}

static NO_IMAGES: Images = Images::new();

impl Pictures<'static> {
    /// No localised pictures: every image is left out.
    pub fn none() -> Self {
        Pictures {
            images: &NO_IMAGES,
            root: "/",
        }
    }
}

/// Each image (its start, its alt text, its end) becomes one `<img>` of its localised copy, or
/// nothing.
fn localise_images<'a>(
    events: impl Iterator<Item = Event<'a>>,
    pictures: Pictures,
) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut image: Option<(CowStr<'a>, CowStr<'a>, String)> = None;
    for event in events {
        match (event, &mut image) {
            (
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }),
                _,
            ) => image = Some((dest_url, title, String::new())),
            (Event::End(TagEnd::Image), Some(_)) => {
                if let Some((source, title, alt)) = image.take()
                    && let Some(view) = images::view(pictures.images, pictures.root, &source)
                {
                    let title = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", escape(&title))
                    };
                    out.push(Event::InlineHtml(CowStr::from(format!(
                        "<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
                        escape(&view.src),
                        view.width,
                        view.height,
                        escape(alt.trim()),
                    ))));
                }
            }
            (Event::Text(text) | Event::Code(text), Some((_, _, alt))) => alt.push_str(&text),
            (Event::SoftBreak | Event::HardBreak, Some((_, _, alt))) => alt.push(' '),
            (_, Some(_)) => {}
            (other, None) => out.push(other),
        }
    }
    out
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
            Pictures::none(),
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("Hi"), "{html}");
    }

    #[test]
    fn h1_becomes_h2_and_tables_survive() {
        let html =
            Sanitizer::new().markdown("# Top\n\n|a|b|\n|-|-|\n|1|2|\n", false, Pictures::none());
        assert!(html.contains("<h2>Top</h2>"), "{html}");
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn only_outbound_links_become_sponsored() {
        let html = Sanitizer::new().markdown(
            "[shop](https://shop.example/p?a=1&b=2 \"x>y\") and [home](/kitchen/) and [mail](mailto:a@b.c)",
            true,
            Pictures::none(),
        );
        assert_eq!(
            html.matches("rel=\"sponsored nofollow\"").count(),
            1,
            "{html}"
        );
        assert!(html.contains("<a href=\"/kitchen/\">home</a>"), "{html}");
        let plain =
            Sanitizer::new().markdown("[shop](https://shop.example/)", false, Pictures::none());
        assert!(!plain.contains("rel="), "{plain}");
    }

    #[test]
    fn pictures_show_their_local_copy_or_nothing() {
        let images = Images::from([(
            "https://cdn.example/shears.jpg".to_owned(),
            super::super::images::LocalImage {
                path: "assets/shears.0123abcd.webp".into(),
                width: 800,
                height: 600,
            },
        )]);
        let pictures = Pictures {
            images: &images,
            root: "/sites/garden/",
        };
        let html = Sanitizer::new().markdown(
            "![Acme *Shears* \"XL\"](https://cdn.example/shears.jpg \"Our pick\")\n\n![gone](https://elsewhere.example/x.png) ![rel](x.png) after",
            false,
            pictures,
        );
        assert!(
            html.contains(
                "<img src=\"/sites/garden/assets/shears.0123abcd.webp\" width=\"800\" height=\"600\" alt=\"Acme Shears &quot;XL&quot;\" title=\"Our pick\" loading=\"lazy\" decoding=\"async\">"
            ),
            "{html}"
        );
        assert_eq!(html.matches("<img").count(), 1, "{html}");
        assert!(!html.contains("elsewhere.example"), "{html}");
        assert!(!html.contains("gone") && html.contains("after"), "{html}");
    }
}
