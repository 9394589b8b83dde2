//! Monetised links in a page's Markdown: the first mention of each linked offer's name becomes
//! a Markdown link to its `/go/{code}` address. Mentions inside a link (Markdown or raw HTML),
//! an image, a heading, code or a URL are left alone, and so is the front matter.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::website_builder::site::front_matter;

/// An offer named on a page and where its link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferLink {
    pub name: String,
    pub url: String,
}

/// The Markdown with links inserted, and the names that got one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub markdown: String,
    pub linked: Vec<String>,
}

/// Links the first eligible mention of every offer's name (case as written, whole words).
/// Longer names go first, so "Acme Pro" is linked whole before "Acme" is looked for.
pub fn link_first_mentions(markdown: &str, offers: &[OfferLink]) -> Linked {
    let (_, body) = front_matter::split(markdown);
    let body_start = markdown.len() - body.len();
    let spans = linkable_text(body);
    let mut order: Vec<&OfferLink> = offers
        .iter()
        .filter(|offer| !offer.name.trim().is_empty())
        .collect();
    order.sort_by(|a, b| b.name.len().cmp(&a.name.len()).then(a.name.cmp(&b.name)));
    let mut chosen: Vec<(usize, usize, &OfferLink)> = Vec::new();
    for offer in order {
        if chosen.iter().any(|(_, _, done)| done.name == offer.name) {
            continue;
        }
        let found = spans.iter().find_map(|&(start, end)| {
            first_free_match(body, start, end, offer.name.trim(), &chosen)
        });
        if let Some((start, end)) = found {
            chosen.push((start, end, offer));
        }
    }
    chosen.sort_by_key(|(start, _, _)| *start);
    let mut out = String::with_capacity(markdown.len() + chosen.len() * 64);
    out.push_str(&markdown[..body_start]);
    let mut at = 0;
    for (start, end, offer) in &chosen {
        out.push_str(&body[at..*start]);
        out.push('[');
        out.push_str(&body[*start..*end]);
        out.push_str("](");
        out.push_str(&offer.url);
        out.push(')');
        at = *end;
    }
    out.push_str(&body[at..]);
    Linked {
        markdown: out,
        linked: chosen.iter().map(|(_, _, o)| o.name.clone()).collect(),
    }
}

/// Byte ranges of `body` holding plain text outside links, images, headings and code.
fn linkable_text(body: &str) -> Vec<(usize, usize)> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut blocked = 0usize;
    let mut html_anchors = 0usize;
    let mut spans = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(
                Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. } | Tag::CodeBlock(_),
            ) => blocked += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                blocked = blocked.saturating_sub(1);
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                let tag = html.trim_start().to_ascii_lowercase();
                if tag.starts_with("<a ") || tag.starts_with("<a>") {
                    html_anchors += 1;
                } else if tag.starts_with("</a") {
                    html_anchors = html_anchors.saturating_sub(1);
                }
            }
            Event::Text(_) if blocked == 0 && html_anchors == 0 => {
                spans.push((range.start, range.end));
            }
            _ => {}
        }
    }
    spans
}

/// The first whole-word occurrence of `name` in `body[start..end]` that is not part of a URL
/// and overlaps no link already chosen.
fn first_free_match(
    body: &str,
    start: usize,
    end: usize,
    name: &str,
    chosen: &[(usize, usize, &OfferLink)],
) -> Option<(usize, usize)> {
    if name.contains(['[', ']']) {
        return None;
    }
    let text = &body[start..end];
    let mut from = 0;
    while let Some(found) = text[from..].find(name) {
        let s = start + from + found;
        let e = s + name.len();
        from += found + name.len();
        let before = body[..s].chars().next_back();
        let after = body[e..].chars().next();
        let whole_word =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        let free = chosen.iter().all(|(cs, ce, _)| e <= *cs || s >= *ce);
        if whole_word && free && !in_url(body, s, e) {
            return Some((s, e));
        }
    }
    None
}

/// Whether the whitespace-delimited word around `s..e` looks like a URL or an address.
fn in_url(body: &str, s: usize, e: usize) -> bool {
    let word_start = body[..s].rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word_end = body[e..]
        .find(char::is_whitespace)
        .map_or(body.len(), |i| e + i);
    let word = &body[word_start..word_end].to_ascii_lowercase();
    word.contains("://") || word.starts_with("www.") || word.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::website_builder::site::{Pictures, SPONSORED_REL, Sanitizer};

    fn offer(name: &str, code: &str) -> OfferLink {
        OfferLink {
            name: name.into(),
            url: format!("https://empire.example/go/{code}"),
        }
    }

    #[test]
    fn only_the_first_mention_is_linked() {
        let linked = link_first_mentions(
            "The Acme Blender 3000 is loud. We liked the Acme Blender 3000 anyway.\n",
            &[offer("Acme Blender 3000", "c1")],
        );
        assert_eq!(
            linked.markdown,
            "The [Acme Blender 3000](https://empire.example/go/c1) is loud. We liked the Acme Blender 3000 anyway.\n"
        );
        assert_eq!(linked.linked, vec!["Acme Blender 3000".to_owned()]);
    }

    #[test]
    fn headings_links_code_urls_and_front_matter_are_left_alone() {
        let markdown = "---\ntitle: Acme review\n---\n# Acme review\n\n[Acme](https://x.example/) and <a href=\"/y\">Acme</a>, `Acme`, ![Acme](/a.png), https://acme.example/Acme and Acmeish.\n\n```\nAcme\n```\n\nFinally **Acme** here.\n";
        let linked = link_first_mentions(markdown, &[offer("Acme", "c2")]);
        let expected = markdown.replace("**Acme**", "**[Acme](https://empire.example/go/c2)**");
        assert_eq!(linked.markdown, expected);
    }

    #[test]
    fn a_name_not_mentioned_gets_no_link_and_longer_names_win() {
        let linked = link_first_mentions(
            "Try the Acme Pro, or the plain Acme.\n",
            &[
                offer("Acme", "short"),
                offer("Acme Pro", "long"),
                offer("Zeta", "z"),
            ],
        );
        assert_eq!(
            linked.markdown,
            "Try the [Acme Pro](https://empire.example/go/long), or the plain [Acme](https://empire.example/go/short).\n"
        );
        assert_eq!(linked.linked.len(), 2);
    }

    #[test]
    fn the_rendered_link_is_sponsored() {
        let linked = link_first_mentions("Buy the Acme today.\n", &[offer("Acme", "abc123")]);
        let html = Sanitizer::new().markdown(&linked.markdown, true, Pictures::none());
        assert!(
            html.contains(&format!(
                "<a href=\"https://empire.example/go/abc123\" rel=\"{SPONSORED_REL}\">Acme</a>"
            )),
            "{html}"
        );
    }
}
