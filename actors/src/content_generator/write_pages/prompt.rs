//! The request for one page: a prompt per article type, the outline's headings, and the only
//! product facts the text may state.

use empire_schema::types::{ArticleType, PageKind};

use super::compose::{Draft, headings, meta_description, title};
use super::facts::format_price;
use crate::content_generator::outline::Language;
use crate::intelligence::llm::ChatRequest;

/// Enough for a 600–900 word page.
pub const MAX_TOKENS: u32 = 1_600;

pub fn request(draft: &Draft<'_>) -> ChatRequest {
    let language = match draft.language {
        Language::En => "English",
        Language::De => "German (formal \"Sie\")",
    };
    let task = match (draft.kind, draft.article_type) {
        (PageKind::Home, _) => format!(
            "the home page of the website \"{}\": introduce the site and what readers find in each of its categories",
            draft.site_name
        ),
        (_, Some(ArticleType::Review)) => {
            "a product review: who it suits, strengths, weak points, value for money".to_owned()
        }
        (_, Some(ArticleType::Comparison)) => {
            "a comparison: the options side by side, differences, which suits whom".to_owned()
        }
        (_, Some(ArticleType::Listicle)) => {
            "a best-of list: the options, each with who it suits, and a buying guide".to_owned()
        }
        (_, Some(ArticleType::Guide)) => {
            "a how-to guide: the basics, steps, common mistakes, tips".to_owned()
        }
        _ => "a category page introducing the topic and the articles in it".to_owned(),
    };
    let sections: Vec<String> = headings(draft)
        .into_iter()
        .map(|(level, heading)| format!("{} {heading}", "#".repeat(usize::from(level))))
        .collect();
    let facts: Vec<String> = draft
        .facts
        .iter()
        .map(|fact| {
            let price = match (fact.price_minor, &fact.currency) {
                (Some(cents), Some(code)) => format_price(cents, code, draft.language),
                _ => "no price listed".to_owned(),
            };
            format!("- {} | price: {price} | source: {}", fact.name, fact.source)
        })
        .collect();
    let facts = if facts.is_empty() {
        "There is no product data: do not name, recommend or describe any product, brand, price or rating.".to_owned()
    } else {
        format!(
            "Product data (the only product facts you may state; name each product exactly as written and say where its price comes from):\n{}",
            facts.join("\n")
        )
    };
    let links: Vec<String> = draft
        .links
        .iter()
        .chain(std::iter::once(&draft.home))
        .map(|link| format!("- [{}](<{}>)", link.title, link.url))
        .collect();
    let prompt = format!(
        "Write {task}, in {language}, as Markdown without a front matter block and without a level-1 heading.\n\
         Title (already shown as the H1): {title}\n\
         Keyphrase: \"{keyword}\" — use it in the first sentence and in about 1–2 % of the words.\n\
         Meta description (for context): {description}\n\
         Sections, in this order:\n{sections}\n\n{facts}\n\n\
         Link to these pages of the site where it fits:\n{links}\n\
         Use short sentences and plain words. Do not claim that you tested anything yourself.",
        title = title(draft),
        keyword = draft.keyword,
        description = meta_description(draft),
        sections = sections.join("\n"),
        links = links.join("\n"),
    );
    let mut request = ChatRequest::prompt(prompt, MAX_TOKENS);
    request.system = Some(
        "You write helpful, honest articles for an affiliate website. You never invent product facts, prices, ratings or test results.".to_owned(),
    );
    request.temperature = Some(0.7);
    request
}
