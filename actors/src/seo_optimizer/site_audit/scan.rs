//! The facts the site audit needs beyond `page_facts`: headings in order, anchors with their
//! text, canonicals, hreflang alternates, robots meta, local assets, main text and JSON-LD.

use super::super::entities;
use super::super::html_scan::{Token, tokenize_spanned};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Anchor {
    /// Entity-decoded, trimmed `href`; `None` when the attribute is missing.
    pub href: Option<String>,
    /// Visible text, plus the `alt` of images inside, whitespace-collapsed.
    pub text: String,
    pub aria_label: Option<String>,
    pub rel: Vec<String>,
    pub target_blank: bool,
    /// `<a name>`/`<a id>` without `href` is an old-style fragment target, not a link.
    pub is_target: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageScan {
    /// `(level, text)` of every `h1`–`h6`, in document order.
    pub headings: Vec<(u8, String)>,
    pub anchors: Vec<Anchor>,
    /// `href` of every `<link rel="canonical">`.
    pub canonicals: Vec<String>,
    /// `(hreflang, href)` of every `<link rel="alternate" hreflang>`.
    pub alternates: Vec<(String, String)>,
    /// Lower-cased `content` of `<meta name="robots">` and `<meta name="googlebot">`.
    pub robots_meta: Vec<String>,
    /// `src`/`href` of images, scripts, media, stylesheets, icons and preloads.
    pub assets: Vec<String>,
    /// Visible body text outside `nav`, `header`, `footer` and `aside`, one block a line.
    pub main_text: String,
    /// Text of each `p` and `li`, for readability.
    pub paragraphs: Vec<String>,
    /// Raw content of every `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
}

const BOILERPLATE: &[&str] = &["nav", "header", "footer", "aside"];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "br",
    "tr",
    "td",
    "th",
    "blockquote",
    "figure",
    "figcaption",
    "main",
    "table",
    "dd",
    "dt",
];
const ASSET_LINK_RELS: &[&str] = &["stylesheet", "icon", "preload", "modulepreload", "manifest"];

/// The visible main text of a page (navigation, header, footer and asides left out), one block a
/// line: what [`DuplicateIndex::signature`](super::DuplicateIndex::signature) should be given.
pub fn main_text(html: &str) -> String {
    scan(html).main_text
}

pub(crate) fn scan(html: &str) -> PageScan {
    let mut out = PageScan::default();
    let tokens = tokenize_spanned(html);
    let mut in_head = false;
    let mut boilerplate_depth = 0usize;
    let mut heading: Option<(u8, String)> = None;
    let mut anchor: Option<Anchor> = None;
    let mut paragraph: Option<String> = None;
    for (index, (span, token)) in tokens.iter().enumerate() {
        match token {
            Token::Text(raw) => {
                let text = entities::decode(raw);
                for buffer in [
                    heading.as_mut().map(|(_, t)| t),
                    anchor.as_mut().map(|a| &mut a.text),
                    paragraph.as_mut(),
                ]
                .into_iter()
                .flatten()
                {
                    buffer.push_str(&text);
                }
                if !in_head && boilerplate_depth == 0 {
                    out.main_text.push_str(&text);
                }
            }
            Token::Start { name, .. } => {
                let name = name.as_str();
                if BLOCKS.contains(&name) {
                    out.main_text.push('\n');
                }
                if BOILERPLATE.contains(&name) {
                    boilerplate_depth += 1;
                }
                match name {
                    "head" => in_head = true,
                    "body" => in_head = false,
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        close_heading(&mut out, &mut heading);
                        let level = name.as_bytes()[1] - b'0';
                        heading = Some((level, String::new()));
                    }
                    "p" | "li" => {
                        close_paragraph(&mut out, &mut paragraph);
                        paragraph = Some(String::new());
                    }
                    "a" => {
                        close_anchor(&mut out, &mut anchor);
                        anchor = Some(open_anchor(token));
                    }
                    "img" => {
                        if let (Some(a), Some(alt)) = (anchor.as_mut(), token.attr("alt")) {
                            a.text.push(' ');
                            a.text.push_str(&entities::decode(alt));
                        }
                        push_attr(&mut out.assets, token, "src");
                    }
                    "script" => {
                        push_attr(&mut out.assets, token, "src");
                        let is_ld = token
                            .attr("type")
                            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                        if is_ld {
                            let end = tokens.get(index + 1).map_or(html.len(), |(s, _)| s.start);
                            out.json_ld
                                .push(html.get(span.end..end).unwrap_or("").to_owned());
                        }
                    }
                    "iframe" | "video" | "audio" | "source" | "embed" => {
                        push_attr(&mut out.assets, token, "src");
                    }
                    "link" => read_link(&mut out, token),
                    "meta" => read_meta(&mut out, token),
                    _ => {}
                }
            }
            Token::End { name } => {
                let name = name.as_str();
                if BLOCKS.contains(&name) {
                    out.main_text.push('\n');
                }
                if BOILERPLATE.contains(&name) {
                    boilerplate_depth = boilerplate_depth.saturating_sub(1);
                }
                match name {
                    "head" => in_head = false,
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        close_heading(&mut out, &mut heading)
                    }
                    "p" | "li" => close_paragraph(&mut out, &mut paragraph),
                    "a" => close_anchor(&mut out, &mut anchor),
                    _ => {}
                }
            }
        }
    }
    close_heading(&mut out, &mut heading);
    close_paragraph(&mut out, &mut paragraph);
    close_anchor(&mut out, &mut anchor);
    out
}

fn open_anchor(token: &Token<'_>) -> Anchor {
    Anchor {
        href: token
            .attr("href")
            .map(|h| entities::decode(h).trim().to_owned()),
        text: String::new(),
        aria_label: token
            .attr("aria-label")
            .map(clean)
            .filter(|l| !l.is_empty()),
        rel: token
            .attr("rel")
            .unwrap_or("")
            .split_ascii_whitespace()
            .map(str::to_ascii_lowercase)
            .collect(),
        target_blank: token
            .attr("target")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("_blank")),
        is_target: token.attr("name").is_some() || token.attr("id").is_some(),
    }
}

fn close_heading(out: &mut PageScan, heading: &mut Option<(u8, String)>) {
    if let Some((level, text)) = heading.take() {
        out.headings.push((level, collapse(&text)));
    }
}

fn close_paragraph(out: &mut PageScan, paragraph: &mut Option<String>) {
    if let Some(text) = paragraph
        .take()
        .map(|t| collapse(&t))
        .filter(|t| !t.is_empty())
    {
        out.paragraphs.push(text);
    }
}

fn close_anchor(out: &mut PageScan, anchor: &mut Option<Anchor>) {
    if let Some(mut a) = anchor.take() {
        a.text = collapse(&a.text);
        out.anchors.push(a);
    }
}

fn read_link(out: &mut PageScan, token: &Token<'_>) {
    let rels: Vec<String> = token
        .attr("rel")
        .unwrap_or("")
        .split_ascii_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let href = token.attr("href").map(clean).unwrap_or_default();
    if rels.iter().any(|r| r == "canonical") {
        out.canonicals.push(href.clone());
    }
    if rels.iter().any(|r| r == "alternate")
        && let Some(lang) = token.attr("hreflang")
    {
        out.alternates.push((clean(lang), href.clone()));
    }
    if rels.iter().any(|r| ASSET_LINK_RELS.contains(&r.as_str())) && !href.is_empty() {
        out.assets.push(href);
    }
}

fn read_meta(out: &mut PageScan, token: &Token<'_>) {
    let name = token.attr("name").unwrap_or("").trim().to_ascii_lowercase();
    if name == "robots" || name == "googlebot" {
        out.robots_meta
            .push(clean(token.attr("content").unwrap_or("")).to_ascii_lowercase());
    }
}

fn push_attr(list: &mut Vec<String>, token: &Token<'_>, attr: &str) {
    if let Some(value) = token.attr(attr).map(clean).filter(|v| !v.is_empty()) {
        list.push(value);
    }
}

pub(crate) fn clean(raw: &str) -> String {
    collapse(&entities::decode(raw))
}

pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
