//! Automatic fixes that are safe: they touch markup only, never change visible prose, and a
//! second run changes nothing.

mod alt;

use std::ops::Range;

use serde::{Deserialize, Serialize};
use url::Url;

use super::model::CheckId;
use super::scan::{clean, collapse};
use crate::intelligence::nlp::Language;
use crate::seo_optimizer::entities;
use crate::seo_optimizer::html_scan::{Token, tokenize_spanned};

/// What the fixer knows about the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixContext {
    /// The page's absolute URL: the canonical it gets and the base for its links.
    pub url: String,
    pub language: Language,
    /// Longer meta descriptions are cut at a word boundary (the audit's limit is 160).
    pub max_description_chars: usize,
}

impl FixContext {
    pub fn new(url: impl Into<String>, language: Language) -> Self {
        FixContext {
            url: url.into(),
            language,
            max_description_chars: 160,
        }
    }
}

named_enum!(
    /// A kind of automatic fix.
    FixKind, "fix kind" {
        TruncatedDescription => "truncated_description",
        AddedAlt => "added_alt",
        AddedCanonical => "added_canonical",
        MadeCanonicalAbsolute => "made_canonical_absolute",
        DemotedH1 => "demoted_h1",
        AddedNoopener => "added_noopener",
        AddedLang => "added_lang",
        AddedViewport => "added_viewport",
    }
);

impl FixKind {
    /// The check the fix makes pass.
    pub const fn check(self) -> CheckId {
        match self {
            FixKind::TruncatedDescription => CheckId::MetaDescriptionLength,
            FixKind::AddedAlt => CheckId::ImagesHaveAlt,
            FixKind::AddedCanonical | FixKind::MadeCanonicalAbsolute => CheckId::Canonical,
            FixKind::DemotedH1 => CheckId::SingleH1,
            FixKind::AddedNoopener => CheckId::ExternalLinksNoopener,
            FixKind::AddedLang => CheckId::HtmlLang,
            FixKind::AddedViewport => CheckId::Viewport,
        }
    }
}

/// The edits collected so far and the fixes they make.
#[derive(Default)]
struct Fixes {
    edits: Vec<(Range<usize>, String)>,
    applied: Vec<FixApplied>,
}

impl Fixes {
    fn add(&mut self, range: Range<usize>, text: String, kind: FixKind, detail: String) {
        self.edits.push((range, text));
        self.applied.push(FixApplied {
            kind,
            check: kind.check(),
            detail,
        });
    }
}

/// One change the fixer made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixApplied {
    pub kind: FixKind,
    /// The check the fix makes pass.
    pub check: CheckId,
    pub detail: String,
}

/// Applies every safe fix to `html`; returns the new HTML and what was changed (nothing, and
/// the same HTML, when there was nothing to fix).
pub fn fix_page(html: &str, context: &FixContext) -> (String, Vec<FixApplied>) {
    let base = Url::parse(&context.url).ok();
    let tokens = tokenize_spanned(html);
    let mut fixes = Fixes::default();
    let mut h1_seen = 0usize;
    let mut demoting = false;
    let mut has_canonical = false;
    let mut has_viewport = false;
    let mut head_start: Option<usize> = None;
    let mut head_end: Option<usize> = None;
    let mut figure: Option<alt::Figure> = None;
    for (span, token) in &tokens {
        match token {
            Token::Text(raw) => {
                if let Some(f) = figure.as_mut() {
                    f.text(raw);
                }
            }
            Token::Start { name, attrs } => match name.as_str() {
                "html" if token.attr("lang").is_none_or(|l| l.trim().is_empty()) => {
                    let tag = with_attr(name, attrs, "lang", context.language.as_str());
                    let detail = format!("added lang=\"{}\"", context.language);
                    fixes.add(span.clone(), tag, FixKind::AddedLang, detail);
                }
                "head" => head_start = Some(span.end),
                "h1" => {
                    h1_seen += 1;
                    if h1_seen > 1 {
                        demoting = true;
                        let tag = rebuild("h2", attrs);
                        let detail = format!("demoted <h1> number {h1_seen} to <h2>");
                        fixes.add(span.clone(), tag, FixKind::DemotedH1, detail);
                    }
                }
                "meta" => {
                    let meta_name = token.attr("name").unwrap_or("").trim().to_ascii_lowercase();
                    if meta_name == "viewport" {
                        has_viewport = true;
                    }
                    if meta_name == "description"
                        && let Some(content) = token.attr("content")
                        && let Some(short) =
                            truncate(&clean(content), context.max_description_chars)
                    {
                        let tag = with_attr(name, attrs, "content", &short);
                        let detail = format!(
                            "cut the meta description to {} characters",
                            short.chars().count()
                        );
                        fixes.add(span.clone(), tag, FixKind::TruncatedDescription, detail);
                    }
                }
                "link" if has_rel(token, "canonical") => {
                    has_canonical = true;
                    let href = clean(token.attr("href").unwrap_or(""));
                    if Url::parse(&href).is_err()
                        && let Some(absolute) = base.as_ref().and_then(|b| b.join(&href).ok())
                    {
                        let tag = with_attr(name, attrs, "href", absolute.as_str());
                        let detail = format!("made the canonical absolute: {absolute}");
                        fixes.add(span.clone(), tag, FixKind::MadeCanonicalAbsolute, detail);
                    }
                }
                "a" => {
                    if let Some(rel) = missing_noopener(token, base.as_ref()) {
                        let tag = with_attr(name, attrs, "rel", &rel);
                        let detail = format!(
                            "added rel=\"noopener\" to a link to {}",
                            clean(token.attr("href").unwrap_or(""))
                        );
                        fixes.add(span.clone(), tag, FixKind::AddedNoopener, detail);
                    }
                }
                "figure" => figure = Some(alt::Figure::default()),
                "figcaption" => {
                    if let Some(f) = figure.as_mut() {
                        f.in_caption = true;
                    }
                }
                "img" if token.attr("alt").is_none_or(|a| clean(a).is_empty()) => {
                    let pending = alt::Pending {
                        span: span.clone(),
                        name: name.clone(),
                        attrs: attrs
                            .iter()
                            .map(|(k, v)| (k.clone(), (*v).to_owned()))
                            .collect(),
                        src: clean(token.attr("src").unwrap_or("")),
                    };
                    match figure.as_mut() {
                        Some(f) => f.images.push(pending),
                        None => {
                            if let Some((tag, detail)) = pending.resolve(None) {
                                fixes.add(pending.span.clone(), tag, FixKind::AddedAlt, detail);
                            }
                        }
                    }
                }
                _ => {}
            },
            Token::End { name } => match name.as_str() {
                "h1" if demoting => {
                    demoting = false;
                    fixes.edits.push((span.clone(), "</h2>".to_owned()));
                }
                "head" => head_end = Some(span.start),
                "figcaption" => {
                    if let Some(f) = figure.as_mut() {
                        f.in_caption = false;
                    }
                }
                "figure" => {
                    for (range, tag, detail) in
                        figure.take().map(alt::Figure::resolve).unwrap_or_default()
                    {
                        fixes.add(range, tag, FixKind::AddedAlt, detail);
                    }
                }
                _ => {}
            },
        }
    }
    for (range, tag, detail) in figure.take().map(alt::Figure::resolve).unwrap_or_default() {
        fixes.add(range, tag, FixKind::AddedAlt, detail);
    }
    if let Some(at) = head_end.or(head_start) {
        if !has_canonical && let Some(url) = base.as_ref() {
            let tag = format!("<link rel=\"canonical\" href=\"{}\">", escape(url.as_str()));
            fixes.add(
                at..at,
                tag,
                FixKind::AddedCanonical,
                format!("added canonical {url}"),
            );
        }
        if !has_viewport {
            let tag = "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                .to_owned();
            fixes.add(
                at..at,
                tag,
                FixKind::AddedViewport,
                "added a viewport meta tag".to_owned(),
            );
        }
    }
    (apply(html, fixes.edits), fixes.applied)
}

/// Cuts `text` to at most `max` characters at a word boundary, ending in "…"; `None` when it
/// already fits.
fn truncate(text: &str, max: usize) -> Option<String> {
    if text.chars().count() <= max || max < 2 {
        return None;
    }
    let room: String = text.chars().take(max - 1).collect();
    let next_is_space = text.chars().nth(max - 1).is_some_and(char::is_whitespace);
    let cut = if next_is_space {
        room.as_str()
    } else {
        room.rfind(char::is_whitespace)
            .map_or(room.as_str(), |at| &room[..at])
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c));
    Some(format!("{cut}…"))
}

fn has_rel(token: &Token<'_>, wanted: &str) -> bool {
    token.attr("rel").is_some_and(|rel| {
        rel.split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case(wanted))
    })
}

/// The `rel` an external `target=_blank` link should have, when it lacks `noopener`.
fn missing_noopener(token: &Token<'_>, base: Option<&Url>) -> Option<String> {
    let blank = token
        .attr("target")
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("_blank"));
    if !blank || has_rel(token, "noopener") || has_rel(token, "noreferrer") {
        return None;
    }
    let href = clean(token.attr("href")?);
    let url = match base {
        Some(base) => base.join(&href).ok()?,
        None => Url::parse(&href).ok()?,
    };
    let external = matches!(url.scheme(), "http" | "https")
        && base.is_none_or(|b| b.host_str() != url.host_str());
    external.then(|| {
        collapse(&format!(
            "{} noopener",
            entities::decode(token.attr("rel").unwrap_or(""))
        ))
    })
}

/// The start tag `name` with attribute `key` set to `value` (plain text, escaped here).
fn with_attr(name: &str, attrs: &[(String, &str)], key: &str, value: &str) -> String {
    let mut owned: Vec<(String, String)> = attrs
        .iter()
        .filter(|(k, _)| k != key)
        .map(|(k, v)| (k.clone(), (*v).to_owned()))
        .collect();
    owned.push((key.to_owned(), escape(value)));
    rebuild_owned(name, &owned)
}

fn rebuild(name: &str, attrs: &[(String, &str)]) -> String {
    let owned: Vec<(String, String)> = attrs
        .iter()
        .map(|(k, v)| (k.clone(), (*v).to_owned()))
        .collect();
    rebuild_owned(name, &owned)
}

/// A start tag from raw (already escaped) attribute values.
pub(super) fn rebuild_owned(name: &str, attrs: &[(String, String)]) -> String {
    let mut tag = format!("<{name}");
    for (key, value) in attrs {
        let quote = if value.contains('"') { '\'' } else { '"' };
        tag.push_str(&format!(" {key}={quote}{value}{quote}"));
    }
    tag.push('>');
    tag
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Applies non-overlapping edits; an insertion (empty range) goes before a replacement at the
/// same place.
fn apply(html: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    if edits.is_empty() {
        return html.to_owned();
    }
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(html.len() + 256);
    let mut at = 0;
    for (range, text) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(html.get(at..range.start).unwrap_or(""));
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(html.get(at..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests;
