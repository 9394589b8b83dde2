//! Markdown to an HTML fragment, treating the Markdown as untrusted: raw HTML is shown as
//! text and link targets with scripting schemes are neutralised.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Schemes a link or image may use; anything else (`javascript:`, `data:`, `vbscript:`, …)
/// could run script in the reader's browser.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// What replaces an unsafe link target: a harmless same-page link.
const NEUTRAL_URL: &str = "#";

pub(super) struct Fragment {
    pub html: String,
    /// Whether the Markdown has its own level-1 heading.
    pub has_h1: bool,
}

pub(super) fn render(markdown: &str) -> Fragment {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut has_h1 = false;
    let events = Parser::new_ext(markdown, options).map(|event| {
        if let Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }) = &event
        {
            has_h1 = true;
        }
        make_safe(event)
    });
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::push_html(&mut out, events);
    Fragment { html: out, has_h1 }
}

fn make_safe(event: Event<'_>) -> Event<'_> {
    match event {
        // Raw HTML becomes visible, escaped text.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // An HTML block is otherwise written without a wrapper; give its text a paragraph.
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

/// Keeps relative URLs and the [`SAFE_SCHEMES`]; replaces anything else with `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if scheme_is_safe(&url) {
        url
    } else {
        CowStr::Borrowed(NEUTRAL_URL)
    }
}

fn scheme_is_safe(url: &str) -> bool {
    // Browsers ignore tabs, newlines and leading spaces/controls when reading a scheme
    // (`java\tscript:` runs), so look at the URL the way they do.
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let Some(colon) = squeezed.find(':') else {
        return true;
    };
    // A ':' after the first '/', '?' or '#' belongs to the path or query: a relative URL.
    if squeezed[..colon].contains(['/', '?', '#']) {
        return true;
    }
    let scheme = squeezed[..colon].to_ascii_lowercase();
    SAFE_SCHEMES.contains(&scheme.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_web_urls_are_kept() {
        for url in [
            "/a",
            "page.html",
            "#top",
            "https://x.io/a:b",
            "mailto:a@b.c",
            "?q=a:b",
            "//cdn.example.com/x",
        ] {
            assert!(scheme_is_safe(url), "{url}");
        }
    }

    #[test]
    fn script_schemes_are_refused_however_written() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            " java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
            "\u{1}javascript:x",
        ] {
            assert!(!scheme_is_safe(url), "{url:?}");
        }
    }
}
