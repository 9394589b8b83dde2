//! Markdown from people and the LLM rendered to HTML: `render_page`'s page (raw HTML shown as
//! text, unsafe link schemes neutralised) and the site builder's sanitised bodies (ammonia), with
//! and without sponsored outbound links; and the front matter split off generated Markdown.
//!
//! Properties: nothing panics; no output holds an element that runs or loads script (`<script`,
//! `<iframe`, `<style`, …), an `on…` event-handler attribute, or a link or image whose URL,
//! read the way a browser reads it, has a scheme other than http, https, mailto or tel;
//! `render_page` writes only the elements pulldown-cmark's own Markdown makes; a monetised body
//! marks every outbound link `rel="sponsored nofollow"`; front matter splits off a prefix.
#![no_main]

use std::sync::LazyLock;

use empire_actors::website_builder::render_page::{self, Input};
use empire_actors::website_builder::site::front_matter;
use empire_actors::website_builder::site::{Pictures, Sanitizer};
use libfuzzer_sys::fuzz_target;

static SANITIZER: LazyLock<Sanitizer> = LazyLock::new(Sanitizer::new);

/// Elements that run or load active content, whatever the attributes.
const DANGEROUS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta",
    "base", "form", "svg", "math", "template", "noscript",
];

/// The elements `render_page`'s template and pulldown-cmark's HTML writer produce.
const PAGE_ELEMENTS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "link",
    "body",
    "main",
    "article",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "img",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "div",
    "input",
    "section",
];

fuzz_target!(|data: &[u8]| {
    let markdown = String::from_utf8_lossy(data);

    let input = Input {
        markdown: markdown.clone().into_owned(),
        title: "Fuzzed page".into(),
        meta_description: "A page made of fuzzed Markdown.".into(),
        canonical_url: "https://example.com/fuzz".into(),
        language: None,
        website_id: None,
    };
    let page = render_page::run(&input).unwrap_or_else(|e| panic!("{e}"));
    // The template's own head (`<meta>`, `<link rel="canonical">`) is trusted; the body is not.
    let body = page.html.split_once("<body>").map_or("", |(_, body)| body);
    check(body);
    for tag in tags(&page.html) {
        assert!(
            PAGE_ELEMENTS.contains(&tag.name.as_str()),
            "<{}> in {}",
            tag.name,
            page.html
        );
    }

    for sponsored in [false, true] {
        let html = SANITIZER.markdown(&markdown, sponsored, Pictures::none());
        check(&html);
        if sponsored {
            for tag in tags(&html).filter(|tag| tag.name == "a") {
                let outbound = tag.attribute("href").is_some_and(|href| {
                    let href = href.to_ascii_lowercase();
                    href.starts_with("http://")
                        || href.starts_with("https://")
                        || href.starts_with("//")
                });
                if outbound {
                    assert_eq!(
                        tag.attribute("rel").as_deref(),
                        Some("sponsored nofollow"),
                        "{html}"
                    );
                }
            }
        }
    }

    let (matter, rest) = front_matter::split(&markdown);
    assert!(markdown.ends_with(rest));
    if matter.is_none() {
        assert_eq!(rest, markdown);
    } else {
        assert!(markdown.starts_with("---"));
    }
});

fn check(html: &str) {
    for tag in tags(html) {
        assert!(
            !DANGEROUS.contains(&tag.name.as_str()),
            "<{}> in {html}",
            tag.name
        );
        for (name, value) in &tag.attributes {
            assert!(!name.starts_with("on"), "{name}= in {html}");
            if matches!(
                name.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) {
                assert!(safe_url(value), "{name}={value:?} in {html}");
            }
        }
    }
}

/// A start tag: its lower-case name and attributes (values with character references decoded).
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

impl Tag {
    fn attribute(&self, name: &str) -> Option<String> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
}

/// The start tags of `html` as a browser tokenises them (enough of it for well-formed output).
fn tags(html: &str) -> impl Iterator<Item = Tag> + '_ {
    let bytes = html.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let start = at + html[at..].find('<')?;
            at = start + 1;
            let name_len = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if name_len == 0 || !bytes[at].is_ascii_alphabetic() {
                continue;
            }
            let name = html[at..at + name_len].to_ascii_lowercase();
            at += name_len;
            let mut attributes = Vec::new();
            loop {
                while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
                    at += 1;
                }
                if at >= bytes.len() || bytes[at] == b'>' {
                    at = (at + 1).min(bytes.len());
                    break;
                }
                let attr_len = bytes[at..]
                    .iter()
                    .take_while(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
                    .count()
                    .max(1);
                let attr = html[at..at + attr_len].to_ascii_lowercase();
                at += attr_len;
                let mut value = String::new();
                if bytes.get(at) == Some(&b'=') {
                    at += 1;
                    let quote = bytes.get(at).copied().filter(|b| matches!(b, b'"' | b'\''));
                    let end = match quote {
                        Some(q) => {
                            at += 1;
                            at + bytes[at..]
                                .iter()
                                .position(|&b| b == q)
                                .unwrap_or(bytes.len() - at)
                        }
                        None => {
                            at + bytes[at..]
                                .iter()
                                .position(|b| b.is_ascii_whitespace() || *b == b'>')
                                .unwrap_or(bytes.len() - at)
                        }
                    };
                    value = decode(&html[at..end]);
                    at = (end + usize::from(quote.is_some())).min(bytes.len());
                }
                attributes.push((attr, value));
            }
            return Some(Tag { name, attributes });
        }
    })
}

/// Character references decoded once, as an HTML parser does in attribute values.
fn decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&s| s <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a browser would load `url` with a safe scheme (or relative to the page). Browsers
/// strip leading and trailing C0 controls and spaces, and drop tabs and newlines anywhere.
fn safe_url(url: &str) -> bool {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = url.find(':') else {
        return true;
    };
    let scheme = &url[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !is_scheme
        || matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "mailto" | "tel"
        )
}
