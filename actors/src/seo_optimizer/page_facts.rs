//! The facts about a page an SEO audit looks at, gathered in one pass over its tokens.

use super::entities;
use super::html_scan::{Token, tokenize};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageFacts {
    pub lang: Option<String>,
    /// Text of the first `<title>`, entity-decoded and whitespace-collapsed.
    pub title: Option<String>,
    /// `content` of the first `<meta name="description">`.
    pub meta_description: Option<String>,
    pub has_viewport: bool,
    /// `href` of the first `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// Text of every `<h1>`.
    pub h1: Vec<String>,
    pub h2_count: usize,
    /// Text of the first `<p>` that has any.
    pub first_paragraph: Option<String>,
    /// `alt` of every `<img>` (`None` when the attribute is missing).
    pub image_alts: Vec<Option<String>>,
    /// Every non-empty `<a href>`.
    pub links: Vec<String>,
    /// Words of visible text outside `<head>`.
    pub word_count: usize,
}

/// What the text currently being read belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Capture {
    None,
    Title,
    H1,
    Paragraph,
}

pub(crate) fn gather(html: &str) -> PageFacts {
    let mut facts = PageFacts::default();
    let mut capture = Capture::None;
    let mut buffer = String::new();
    let mut in_head = false;
    for token in tokenize(html) {
        match &token {
            Token::Text(raw) => {
                let text = entities::decode(raw);
                if capture != Capture::None {
                    buffer.push_str(&text);
                }
                if !in_head && capture != Capture::Title {
                    facts.word_count += count_words(&text);
                }
            }
            Token::Start { name, .. } => {
                // A new heading or paragraph ends an unclosed one, as HTML's parser would.
                if matches!(name.as_str(), "h1" | "p" | "title") {
                    finish(&mut facts, &mut capture, &mut buffer);
                }
                match name.as_str() {
                    "html" => set_once(&mut facts.lang, token.attr("lang")),
                    "head" => in_head = true,
                    "body" => in_head = false,
                    "title" if facts.title.is_none() => capture = Capture::Title,
                    "h1" => capture = Capture::H1,
                    "h2" => facts.h2_count += 1,
                    // Notes (the ad disclosure, the AI marking) are not the article's text.
                    "p" if facts.first_paragraph.is_none()
                        && token.attr("role") != Some("note") =>
                    {
                        capture = Capture::Paragraph
                    }
                    "meta" => read_meta(&mut facts, &token),
                    "link" if has_rel(&token, "canonical") => {
                        set_once(&mut facts.canonical, token.attr("href"));
                    }
                    "img" => facts.image_alts.push(token.attr("alt").map(clean)),
                    "a" => {
                        if let Some(href) = token.attr("href").map(clean).filter(|h| !h.is_empty())
                        {
                            facts.links.push(href);
                        }
                    }
                    _ => {}
                }
            }
            Token::End { name } => {
                let ends_capture = matches!(
                    (capture, name.as_str()),
                    (Capture::Title, "title")
                        | (Capture::H1, "h1")
                        | (Capture::Paragraph, "p" | "body")
                );
                if ends_capture {
                    finish(&mut facts, &mut capture, &mut buffer);
                }
                if name == "head" {
                    in_head = false;
                }
            }
        }
    }
    finish(&mut facts, &mut capture, &mut buffer);
    facts
}

/// Stores the captured text where it belongs and resets the capture.
fn finish(facts: &mut PageFacts, capture: &mut Capture, buffer: &mut String) {
    let text = collapse(buffer);
    match *capture {
        Capture::None => {}
        Capture::Title => facts.title = Some(text),
        Capture::H1 => facts.h1.push(text),
        Capture::Paragraph if !text.is_empty() => facts.first_paragraph = Some(text),
        Capture::Paragraph => {}
    }
    *capture = Capture::None;
    buffer.clear();
}

fn read_meta(facts: &mut PageFacts, token: &Token<'_>) {
    let name = token.attr("name").unwrap_or("").trim().to_ascii_lowercase();
    match name.as_str() {
        "description" => set_once(&mut facts.meta_description, token.attr("content")),
        "viewport" => facts.has_viewport = true,
        _ => {}
    }
}

/// `rel` is a space-separated, case-insensitive list of link types.
fn has_rel(token: &Token<'_>, wanted: &str) -> bool {
    token.attr("rel").is_some_and(|rel| {
        rel.split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case(wanted))
    })
}

fn set_once(slot: &mut Option<String>, raw: Option<&str>) {
    if slot.is_none() {
        *slot = raw.map(clean);
    }
}

/// Entity-decoded, whitespace-collapsed text of an attribute or element.
fn clean(raw: &str) -> String {
    collapse(&entities::decode(raw))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words are runs of non-space characters holding at least one letter or digit.
fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests;
