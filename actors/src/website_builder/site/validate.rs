//! Checks a [`SiteSpec`] before anything is written, naming every bad field.

use std::collections::BTreeSet;

use url::Url;

use super::spec::{Language, PageKind, PageSpec, SiteSpec};
use crate::kinds::FieldError;

pub const MAX_PAGES: usize = 100_000;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 320;
pub const MAX_MARKDOWN_BYTES: usize = 1_000_000;
/// 5 stars in tenths.
pub const MAX_RATING_TENTHS: u8 = 50;

/// Every problem in the spec; empty when it can be built.
pub fn validate(spec: &SiteSpec) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !is_segment(&spec.slug) {
        errors.push(FieldError::new("slug", SEGMENT_RULE));
    }
    errors.extend(line("name", &spec.name, MAX_TITLE_CHARS));
    if base_url(&spec.base_url).is_none() {
        errors.push(FieldError::new(
            "base_url",
            "must be an http(s) URL without query or fragment",
        ));
    }
    errors.extend(line("settings.owner_name", &spec.settings.owner_name, 200));
    errors.extend(line("settings.email", &spec.settings.email, 200));
    if spec.language == Language::De && spec.settings.address_lines.is_empty() {
        // The Impressum must give a postal address (§ 5 DDG).
        errors.push(FieldError::new(
            "settings.address_lines",
            "a German site's Impressum needs a postal address",
        ));
    }
    if spec.pages.len() > MAX_PAGES {
        errors.push(FieldError::new(
            "pages",
            format!("must be at most {MAX_PAGES}"),
        ));
    }
    let homes = spec
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Home)
        .count();
    if homes != 1 {
        errors.push(FieldError::new("pages", "must hold exactly one home page"));
    }
    let categories: BTreeSet<&str> = spec
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Category)
        .map(|p| p.slug.as_str())
        .collect();
    let mut ids = BTreeSet::new();
    let mut paths = BTreeSet::new();
    for (i, page) in spec.pages.iter().enumerate() {
        let at = |field: &str| format!("pages[{i}].{field}");
        if page.id.is_empty() || !ids.insert(page.id.as_str()) {
            errors.push(FieldError::new(at("id"), "must be present and unique"));
        }
        errors.extend(page_errors(page, &categories, &at));
        if !paths.insert(super::paths::page_path(page)) {
            errors.push(FieldError::new(at("slug"), "two pages share this URL"));
        }
    }
    errors
}

fn page_errors(
    page: &PageSpec,
    categories: &BTreeSet<&str>,
    at: &dyn Fn(&str) -> String,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let slug_ok = match page.kind {
        PageKind::Home => page.slug.is_empty(),
        _ => is_segment(&page.slug),
    };
    if !slug_ok {
        errors.push(FieldError::new(
            at("slug"),
            "empty for the home page, otherwise lower-case letters, digits and `-`",
        ));
    }
    errors.extend(line(&at("title"), &page.title, MAX_TITLE_CHARS));
    errors.extend(line(
        &at("meta_description"),
        &page.meta_description,
        MAX_DESCRIPTION_CHARS,
    ));
    if page.markdown.len() > MAX_MARKDOWN_BYTES {
        errors.push(FieldError::new(
            at("markdown"),
            format!("must be at most {MAX_MARKDOWN_BYTES} bytes"),
        ));
    }
    match (&page.category, page.kind) {
        (Some(category), PageKind::Article) if !categories.contains(category.as_str()) => {
            errors.push(FieldError::new(at("category"), "names no category page"));
        }
        (Some(_), kind) if kind != PageKind::Article => {
            errors.push(FieldError::new(at("category"), "only articles have one"));
        }
        _ => {}
    }
    for (j, product) in page.products.iter().enumerate() {
        let field = |name: &str| at(&format!("products[{j}].{name}"));
        errors.extend(line(&field("name"), &product.name, MAX_TITLE_CHARS));
        errors.extend(line(&field("source"), &product.source, 500));
        let currency_ok = product
            .currency
            .as_deref()
            .is_some_and(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()));
        if product.price_minor.is_some() && !currency_ok {
            errors.push(FieldError::new(
                field("currency"),
                "a price needs an ISO 4217 code such as EUR",
            ));
        }
        if product.price_minor.is_some_and(|p| p < 0) {
            errors.push(FieldError::new(
                field("price_minor"),
                "must not be negative",
            ));
        }
        if product.rating_tenths.is_some_and(|r| r > MAX_RATING_TENTHS) {
            errors.push(FieldError::new(field("rating_tenths"), "must be 0..=50"));
        }
        if let Some(url) = &product.offer_url
            && base_url(url).is_none()
        {
            errors.push(FieldError::new(
                field("offer_url"),
                "must be an http(s) URL",
            ));
        }
        if product.offer_url.is_some() && !page.monetised {
            // An offer link is paid placement: it needs the page's disclosure.
            errors.push(FieldError::new(
                field("offer_url"),
                "only a monetised page may link an offer",
            ));
        }
    }
    for (j, faq) in page.faq.iter().enumerate() {
        errors.extend(line(&at(&format!("faq[{j}].question")), &faq.question, 500));
        if faq.answer.trim().is_empty() {
            errors.push(FieldError::new(
                at(&format!("faq[{j}].answer")),
                "must not be blank",
            ));
        }
    }
    for (j, translation) in page.translations.iter().enumerate() {
        if base_url(&translation.url).is_none() {
            errors.push(FieldError::new(
                at(&format!("translations[{j}].url")),
                "must be an http(s) URL",
            ));
        }
    }
    errors
}

const SEGMENT_RULE: &str = "must be 1-100 lower-case letters, digits and `-`";

pub(super) fn is_segment(slug: &str) -> bool {
    (1..=100).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// The URL when it is http(s) with a host and no query or fragment.
pub(super) fn base_url(text: &str) -> Option<Url> {
    let url = Url::parse(text).ok()?;
    let ok = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.query().is_none()
        && url.fragment().is_none();
    ok.then_some(url)
}

fn line(field: &str, value: &str, max_chars: usize) -> Option<FieldError> {
    if value.trim().is_empty() {
        Some(FieldError::new(field, "must not be blank"))
    } else if value.chars().count() > max_chars {
        Some(FieldError::new(
            field,
            format!("must be at most {max_chars} characters"),
        ))
    } else if value.chars().any(char::is_control) {
        Some(FieldError::new(
            field,
            "must be one line without control characters",
        ))
    } else {
        None
    }
}
