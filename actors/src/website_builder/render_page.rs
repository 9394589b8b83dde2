//! `render_page`: one complete, self-contained HTML5 page from an article's Markdown.

mod markdown;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::kinds::{FieldError, KindError, checks, website};

/// Large enough for any article; bounds the work one task can ask for.
pub const MAX_MARKDOWN_BYTES: usize = 1_000_000;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 320;
pub const DEFAULT_LANGUAGE: &str = "en";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub markdown: String,
    pub title: String,
    pub meta_description: String,
    pub canonical_url: String,
    /// BCP 47 language tag such as `en` or `de-AT`; `en` when absent.
    #[serde(default)]
    pub language: Option<String>,
    /// The website the task is for (see `kinds::website`); events about the task name it.
    #[serde(default)]
    pub website_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenderError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
}

impl From<RenderError> for KindError {
    fn from(err: RenderError) -> Self {
        match err {
            RenderError::Invalid(errors) => KindError::InvalidInput(errors),
        }
    }
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.markdown.len() > MAX_MARKDOWN_BYTES {
        errors.push(FieldError::new(
            "markdown",
            format!("must be at most {MAX_MARKDOWN_BYTES} bytes"),
        ));
    }
    errors.extend(single_line("title", &input.title, MAX_TITLE_CHARS));
    errors.extend(single_line(
        "meta_description",
        &input.meta_description,
        MAX_DESCRIPTION_CHARS,
    ));
    if let Err(err) = checks::http_url("canonical_url", &input.canonical_url) {
        errors.push(err);
    }
    if let Some(language) = &input.language
        && !is_language_tag(language)
    {
        errors.push(FieldError::new(
            "language",
            "must be a BCP 47 language tag such as `en` or `de-AT`",
        ));
    }
    errors.extend(website::check(input.website_id.as_deref()));
    errors
}

fn single_line(field: &str, value: &str, max_chars: usize) -> Option<FieldError> {
    checks::non_blank_text(field, value, max_chars).or_else(|| {
        value
            .chars()
            .any(char::is_control)
            .then(|| FieldError::new(field, "must be one line without control characters"))
    })
}

/// A simplified BCP 47 check: a 2–3 letter primary language, then subtags of 1–8 letters or
/// digits. Enough to keep the attribute meaningful without a full registry lookup.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    primary_ok
        && tag.len() <= 35
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Renders the page. If the Markdown has no level-1 heading, the title becomes the page's H1,
/// so every page carries exactly one.
pub fn run(input: &Input) -> Result<Output, RenderError> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(RenderError::Invalid(errors));
    }
    let canonical = checks::http_url("canonical_url", &input.canonical_url)
        .map_err(|err| RenderError::Invalid(vec![err]))?;
    let language = input.language.as_deref().unwrap_or(DEFAULT_LANGUAGE);
    let body = markdown::render(&input.markdown);
    let title = escape(input.title.trim());

    let mut html = String::with_capacity(body.html.len() + 1024);
    html.push_str("<!doctype html>\n");
    html.push_str(&format!("<html lang=\"{}\">\n<head>\n", escape(language)));
    html.push_str("<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str(&format!("<title>{title}</title>\n"));
    html.push_str(&format!(
        "<meta name=\"description\" content=\"{}\">\n",
        escape(input.meta_description.trim())
    ));
    html.push_str(&format!(
        "<link rel=\"canonical\" href=\"{}\">\n",
        escape(canonical.as_str())
    ));
    html.push_str("</head>\n<body>\n<main>\n<article>\n");
    if !body.has_h1 {
        html.push_str(&format!("<h1>{title}</h1>\n"));
    }
    html.push_str(&body.html);
    html.push_str("</article>\n</main>\n</body>\n</html>\n");
    Ok(Output { html })
}

/// Escapes text for use in element content and in double- or single-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "website_builder/render_page input",
        "type": "object",
        "additionalProperties": false,
        "required": ["markdown", "title", "meta_description", "canonical_url"],
        "properties": {
            "markdown": {
                "type": "string",
                "description": "CommonMark with tables, footnotes, strikethrough and task lists. Raw HTML is shown as text."
            },
            "title": { "type": "string", "minLength": 1, "maxLength": MAX_TITLE_CHARS },
            "meta_description": { "type": "string", "minLength": 1, "maxLength": MAX_DESCRIPTION_CHARS },
            "canonical_url": { "type": "string", "format": "uri", "pattern": "^https?://" },
            "language": {
                "type": "string",
                "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
                "maxLength": 35,
                "default": DEFAULT_LANGUAGE
            },
            "website_id": website::schema()
        }
    })
}

pub fn example_input() -> Value {
    json!({
        "markdown": "# Robot Vacuum Review\n\nA **robot vacuum** saves time. See [our test](https://example.com/test).\n\n## Pros and Cons\n\n- Quiet\n- Small bin\n",
        "title": "Robot Vacuum Review: Is It Worth It?",
        "meta_description": "Our robot vacuum review covers features, pros and cons and price.",
        "canonical_url": "https://example.com/robot-vacuum-review",
        "language": "en"
    })
}

#[cfg(test)]
mod tests;
