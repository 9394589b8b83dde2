//! A page's text on the offline provider, from the outline's headings, the sentence pools
//! (ours and the page pipeline's) and the page's product facts; and the stored document
//! (front matter + body) whichever provider wrote it.

use empire_schema::types::{ArticleType, PageKind};

use super::facts::facts_block;
use super::pools::{Deck, Dice, Pools, pools};
use crate::content_generator::outline::text::{capitalize_first, normalize_space, truncate_words};
use crate::content_generator::outline::{self, Language};
use crate::website_builder::site::{FaqEntry, ProductFact};
use crate::workflows::page_pipeline::prose::prose;

/// Search engines cut descriptions beyond about this many characters.
pub const MAX_DESCRIPTION_CHARS: usize = 155;

/// A link to another page of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLink {
    pub title: String,
    pub url: String,
}

/// Everything a page's text is made from.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    pub website_id: &'a str,
    pub site_name: &'a str,
    pub language: Language,
    pub kind: PageKind,
    pub article_type: Option<ArticleType>,
    pub slug: &'a str,
    pub keyword: &'a str,
    pub title: &'a str,
    pub facts: &'a [ProductFact],
    /// Home: the categories; a category: its articles; an article: its category.
    pub links: &'a [PageLink],
    pub home: PageLink,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub title: String,
    pub meta_description: String,
    /// Markdown without front matter and without the H1 (the theme renders the title).
    pub body: String,
    pub faq: Vec<FaqEntry>,
}

/// The outline type of an article page.
pub fn outline_type(article_type: Option<ArticleType>) -> Option<outline::ArticleType> {
    match article_type? {
        ArticleType::Review => Some(outline::ArticleType::Review),
        ArticleType::Comparison => Some(outline::ArticleType::Comparison),
        ArticleType::Listicle => Some(outline::ArticleType::Listicle),
        ArticleType::Guide => Some(outline::ArticleType::Guide),
        ArticleType::Category => None,
    }
}

fn outlined(draft: &Draft<'_>) -> Option<outline::Output> {
    let kind = outline_type(draft.article_type).filter(|_| draft.kind == PageKind::Article)?;
    outline::run(&outline::Input {
        keyword: draft.keyword.to_owned(),
        article_type: kind,
        language: draft.language,
        website_id: None,
    })
    .ok()
}

/// The section headings: the outline's for an article (less the FAQ, which the theme renders,
/// the comparison table, which the facts replace, and a list's numbered picks), fixed ones for
/// a category or the home page.
pub fn headings(draft: &Draft<'_>) -> Vec<(u8, String)> {
    let p = pools(draft.language);
    match draft.kind {
        PageKind::Home => fixed(p.headings.home),
        PageKind::Category => fixed(p.headings.category),
        _ => outlined(draft).map_or_else(Vec::new, |plan| {
            plan.outline
                .into_iter()
                .filter(|h| !p.headings.skip.contains(&h.heading.as_str()))
                .filter(|h| !(h.level == 3 && h.heading.starts_with(|c: char| c.is_ascii_digit())))
                .map(|h| (h.level, h.heading))
                .collect()
        }),
    }
}

fn fixed(headings: &[&str]) -> Vec<(u8, String)> {
    headings.iter().map(|h| (2, (*h).to_owned())).collect()
}

/// At most [`MAX_DESCRIPTION_CHARS`], naming the keyword.
pub fn meta_description(draft: &Draft<'_>) -> String {
    let p = pools(draft.language);
    let keyword = normalize_space(draft.keyword);
    let display = capitalize_first(&keyword);
    let text = match draft.kind {
        PageKind::Home => p
            .description
            .home
            .replace("{S}", &normalize_space(draft.site_name)),
        PageKind::Category => p.description.category.to_owned(),
        _ => outlined(draft)
            .map_or_else(|| p.description.category.to_owned(), |o| o.meta_description),
    }
    .replace("{K}", &display)
    .replace("{k}", &keyword);
    let cut = truncate_words(&text, MAX_DESCRIPTION_CHARS);
    if cut.to_lowercase().contains(&keyword.to_lowercase()) {
        cut
    } else {
        truncate_words(&format!("{display}: {text}"), MAX_DESCRIPTION_CHARS)
    }
}

/// The offline page: intro and lead, sections of seeded sentences (every other one opened by a
/// sentence naming the keyword), the facts, the page's links and a closing link.
pub fn compose(draft: &Draft<'_>) -> Composed {
    let p = pools(draft.language);
    let shared = prose(draft.language);
    let mut dice = Dice::new(draft.website_id, draft.slug);
    let mut keyed = Deck::new(&[p.with_keyword, shared.with_keyword], &mut dice);
    let mut general = Deck::new(&[p.general, shared.general], &mut dice);
    let keyword = escape(&keyword_text(draft.keyword, draft.language));
    let fill = |text: String| text.replace("{k}", &keyword);

    let intro = p
        .intro
        .get(dice.below(p.intro.len()))
        .copied()
        .unwrap_or_default();
    let mut out = format!(
        "{} {}\n\n",
        fill(dice.spin(intro)),
        fill(dice.spin(lead(p, draft)))
    );
    let facts = facts_block(p, draft.article_type, draft.facts, draft.language);
    // Pages with few sections get longer paragraphs, so every page has enough to say.
    let sections = headings(draft);
    let extra = usize::from(sections.len() < 6);
    for (i, (level, heading)) in sections.iter().enumerate() {
        let hashes = if *level == 3 { "###" } else { "##" };
        let opener = if i % 2 == 0 {
            fill(keyed.draw(&mut dice))
        } else {
            general.draw(&mut dice)
        };
        out.push_str(&format!(
            "{hashes} {}\n\n{opener} {}\n\n",
            escape(heading),
            general.draw(&mut dice)
        ));
        if *level == 2 {
            let more: Vec<String> = (0..2 + extra).map(|_| general.draw(&mut dice)).collect();
            out.push_str(&more.join(" "));
            out.push_str("\n\n");
        }
        if i == 0 && !facts.is_empty() {
            out.push_str(&facts);
        }
    }
    out.push_str(&links_block(p, draft));
    let closing = p
        .closing
        .get(dice.below(p.closing.len()))
        .copied()
        .unwrap_or_default();
    let target = match (draft.kind, draft.links.first()) {
        (PageKind::Article, Some(category)) => category,
        _ => &draft.home,
    };
    out.push_str(&dice.spin(closing).replace("{link}", &link(target)));
    out.push('\n');
    Composed {
        title: title(draft),
        meta_description: meta_description(draft),
        body: out,
        faq: faq(p, draft, &mut dice),
    }
}

fn lead(p: &Pools, draft: &Draft<'_>) -> &'static str {
    match (draft.kind, draft.article_type) {
        (PageKind::Home, _) => p.lead.home,
        (_, Some(ArticleType::Review)) => p.lead.review,
        (_, Some(ArticleType::Comparison)) => p.lead.comparison,
        (_, Some(ArticleType::Listicle)) => p.lead.listicle,
        (_, Some(ArticleType::Guide)) => p.lead.guide,
        _ => p.lead.category,
    }
}

/// Home: the categories; a category: its articles; under their own heading.
fn links_block(p: &Pools, draft: &Draft<'_>) -> String {
    let heading = match draft.kind {
        PageKind::Home => p
            .headings
            .home
            .get(1)
            .copied()
            .unwrap_or(p.headings.read_next),
        PageKind::Category => p.headings.read_next,
        _ => return String::new(),
    };
    if draft.links.is_empty() {
        return String::new();
    }
    let items: Vec<String> = draft
        .links
        .iter()
        .map(|l| format!("- {}", link(l)))
        .collect();
    format!("## {heading}\n\n{}\n\n", items.join("\n"))
}

fn link(to: &PageLink) -> String {
    // The destination is a URL the site made: no spaces, `<`, `>` or line breaks.
    format!("[{}](<{}>)", escape(&to.title), to.url)
}

fn faq(p: &Pools, draft: &Draft<'_>, dice: &mut Dice) -> Vec<FaqEntry> {
    if draft.kind != PageKind::Article {
        return Vec::new();
    }
    let keyword = normalize_space(draft.keyword);
    dice.order(p.faq.len())
        .into_iter()
        .take(2)
        .filter_map(|i| p.faq.get(i))
        .map(|(q, a)| FaqEntry {
            question: q.replace("{k}", &keyword),
            answer: a.replace("{k}", &keyword),
        })
        .collect()
}

/// The planned title, or the keyword when the plan had none.
pub fn title(draft: &Draft<'_>) -> String {
    let planned = normalize_space(draft.title);
    if planned.is_empty() {
        capitalize_first(&normalize_space(draft.keyword))
    } else {
        planned
    }
}

/// The keyword in running text: German keywords are mostly nouns, so they get a capital,
/// unless that changes how it matches (`ß` upper-cases to `SS`).
fn keyword_text(keyword: &str, language: Language) -> String {
    let plain = normalize_space(keyword);
    if language == Language::En {
        return plain;
    }
    let capital = capitalize_first(&plain);
    if capital.to_lowercase() == plain.to_lowercase() {
        capital
    } else {
        plain
    }
}

/// Inline text that cannot turn into Markdown syntax (emphasis, links, HTML, tables, headings).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in normalize_space(text).chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '|' | '#' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The stored document: front matter, then the body.
pub fn document(draft: &Draft<'_>, composed: &Composed) -> String {
    let kind = match draft.kind {
        PageKind::Home => "home",
        _ => draft.article_type.map_or("page", |t| t.as_str()),
    };
    format!(
        "---\ntitle: {}\ndescription: {}\nkeyword: {}\ntype: {kind}\nlanguage: {}\nai_generated: true\n---\n{}",
        quoted(&composed.title),
        quoted(&composed.meta_description),
        quoted(draft.keyword),
        draft.language.as_str(),
        composed.body
    )
}

fn quoted(value: &str) -> String {
    format!("\"{}\"", normalize_space(value).replace('"', "'"))
}

/// A provider's answer as the body: its own front matter and H1 dropped; `None` when nothing
/// is left.
pub fn from_answer(text: &str) -> Option<String> {
    let (_, body) = crate::website_builder::site::front_matter::split(text.trim_start());
    let body = body.trim_start();
    let body = match body.strip_prefix("# ") {
        Some(rest) => rest.split_once('\n').map_or("", |(_, after)| after),
        None => body,
    };
    let body = body.trim();
    (!body.is_empty()).then(|| format!("{body}\n"))
}

/// The words a reader sees in a body (no Markdown syntax, no link targets): what the page's
/// near-duplicate signature is computed over.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        if let Event::Text(text) | Event::Code(text) = event {
            out.push_str(&text);
            out.push(' ');
        }
    }
    out
}
