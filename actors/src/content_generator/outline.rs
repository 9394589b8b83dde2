//! `outline`: plans an article for a keyword from per-type, per-language templates.

mod templates;
pub(crate) mod text;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::kinds::{FieldError, KindError, checks, website};
use templates::{SlugAffix, Template};
use text::{capitalize_first, normalize_space, slugify, title_case, truncate_words};

pub const MAX_KEYWORD_CHARS: usize = 100;
/// Search engines show about this many title characters before cutting.
pub const MAX_TITLE_CHARS: usize = 60;
pub const MAX_DESCRIPTION_CHARS: usize = 160;
pub const MAX_SLUG_CHARS: usize = 80;
/// Below this, a shortened keyword says too little; the whole title is cut instead.
const MIN_KEYWORD_BUDGET: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticleType {
    Review,
    Comparison,
    Guide,
    Listicle,
}

pub use empire_schema::types::Language;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub keyword: String,
    pub article_type: ArticleType,
    pub language: Language,
    /// The website the task is for (see `kinds::website`); events about the task name it.
    #[serde(default)]
    pub website_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    pub title: String,
    pub meta_description: String,
    pub slug: String,
    pub outline: Vec<Heading>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    pub heading: String,
    /// 2 (H2) or 3 (H3); the H1 is the title.
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OutlineError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
}

impl From<OutlineError> for KindError {
    fn from(err: OutlineError) -> Self {
        match err {
            OutlineError::Invalid(errors) => KindError::InvalidInput(errors),
        }
    }
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    keyword_error(&input.keyword)
        .into_iter()
        .chain(website::check(input.website_id.as_deref()))
        .collect()
}

fn keyword_error(keyword: &str) -> Option<FieldError> {
    if let Some(err) = checks::non_blank_text("keyword", keyword, MAX_KEYWORD_CHARS) {
        return Some(err);
    }
    // Tabs are just spacing; line breaks and other controls do not belong in a title.
    if keyword.chars().any(|c| c.is_control() && c != '\t') {
        return Some(FieldError::new(
            "keyword",
            "must be a single line without control characters",
        ));
    }
    if !keyword.chars().any(char::is_alphanumeric) {
        return Some(FieldError::new("keyword", "must contain a letter or digit"));
    }
    None
}

pub fn run(input: &Input) -> Result<Output, OutlineError> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(OutlineError::Invalid(errors));
    }
    let keyword = normalize_space(&input.keyword);
    let template = templates::template(input.article_type, input.language);
    let marked = template.is_marked(&keyword.to_lowercase());
    let wording = if marked {
        &template.marked
    } else {
        &template.plain
    };
    let display = match input.language {
        Language::En => title_case(&keyword),
        Language::De => capitalize_first(&keyword),
    };
    Ok(Output {
        title: fit(wording.titles, &display, &keyword, MAX_TITLE_CHARS, true),
        meta_description: fit(
            wording.descriptions,
            &display,
            &keyword,
            MAX_DESCRIPTION_CHARS,
            false,
        ),
        slug: slug(&keyword, template, marked),
        outline: template
            .outline
            .iter()
            .map(|&(level, heading)| Heading {
                heading: fill(heading, &display, &keyword),
                level,
            })
            .collect(),
    })
}

/// The article type a keyword already names (“best …” a list, “… test” a review), if any.
pub fn named_type(keyword: &str, language: Language) -> Option<ArticleType> {
    let lower = normalize_space(keyword).to_lowercase();
    [
        ArticleType::Comparison,
        ArticleType::Listicle,
        ArticleType::Review,
        ArticleType::Guide,
    ]
    .into_iter()
    .find(|&kind| templates::template(kind, language).is_marked(&lower))
}

/// Replaces `{K}` with `display` and `{k}` with `plain` in one pass, so braces inside the
/// keyword are never substituted again.
fn fill(template: &str, display: &str, plain: &str) -> String {
    let mut out = String::with_capacity(template.len() + display.len());
    let mut rest = template;
    while let Some(pos) = rest.find('{') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some(after) = tail.strip_prefix("{K}") {
            out.push_str(display);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{k}") {
            out.push_str(plain);
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The first candidate that fits `max_chars`; failing that, the last (shortest) candidate cut
/// to size. A title shortens the keyword instead, so the article type stays visible; a
/// description keeps the whole keyword, which matters more to searchers than its tail.
fn fit(
    candidates: &[&str],
    display: &str,
    plain: &str,
    max_chars: usize,
    shorten_keyword: bool,
) -> String {
    let Some(shortest) = candidates.last() else {
        return String::new();
    };
    if let Some(fitting) = candidates
        .iter()
        .map(|candidate| fill(candidate, display, plain))
        .find(|text| text.chars().count() <= max_chars)
    {
        return fitting;
    }
    let overhead = fill(shortest, "", "").chars().count();
    let uses = shortest.matches("{K}").count() + shortest.matches("{k}").count();
    let budget = max_chars.saturating_sub(overhead) / uses.max(1);
    let text = if shorten_keyword && budget >= MIN_KEYWORD_BUDGET {
        fill(
            shortest,
            &truncate_words(display, budget),
            &truncate_words(plain, budget),
        )
    } else {
        fill(shortest, display, plain)
    };
    truncate_words(&text, max_chars)
}

/// The keyword's slug with the article-type word added, unless the keyword already names it.
fn slug(keyword: &str, template: &Template, marked: bool) -> String {
    let word = match template.slug_affix {
        SlugAffix::Prefix(word) | SlugAffix::Suffix(word) => word,
    };
    let base = if marked {
        slugify(keyword, MAX_SLUG_CHARS)
    } else {
        slugify(keyword, MAX_SLUG_CHARS - word.len() - 1)
    };
    if base.is_empty() {
        return word.to_owned();
    }
    match (marked, &template.slug_affix) {
        (true, _) => base,
        (false, SlugAffix::Prefix(word)) => format!("{word}-{base}"),
        (false, SlugAffix::Suffix(word)) => format!("{base}-{word}"),
    }
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "content_generator/outline input",
        "type": "object",
        "additionalProperties": false,
        "required": ["keyword", "article_type", "language"],
        "properties": {
            "keyword": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_KEYWORD_CHARS,
                "pattern": "[\\p{L}\\p{N}]",
                "description": "The search phrase the article targets; one line."
            },
            "article_type": { "enum": ["review", "comparison", "guide", "listicle"] },
            "language": { "enum": ["en", "de"] },
            "website_id": website::schema()
        }
    })
}

pub fn example_input() -> Value {
    json!({ "keyword": "robot vacuum cleaner", "article_type": "review", "language": "en" })
}

#[cfg(test)]
mod tests;
