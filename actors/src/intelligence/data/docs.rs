//! The search documents of stored keywords, products, research notes and articles, as queued
//! in the outbox.

use empire_schema::models::{Keyword, Product, ResearchNote, SitePage};
use empire_schema::types::PageKind;
use serde_json::Value;

use crate::intelligence::nlp::detect;
use crate::intelligence::search::{DocType, Language, SearchDoc};

/// A keyword's document: the keyword is the title; the body adds its niche and figures.
pub fn keyword_doc(row: &Keyword) -> Value {
    let mut body = row.keyword.clone();
    if let Some(niche) = &row.niche {
        body.push_str(&format!(" — niche: {niche}"));
    }
    body.push_str(&format!(" — {} searches a month", row.volume));
    to_value(SearchDoc {
        id: row.id.clone(),
        doc_type: DocType::Keyword,
        language: row.language,
        title: row.keyword.clone(),
        body,
        website_id: None,
        updated_at_ms: row.updated_at.and_utc().timestamp_millis(),
    })
}

/// A product's document: its name, with its category and merchant in the body. Feeds do not say
/// which language a product is written in, so it is indexed as English.
pub fn product_doc(row: &Product) -> Value {
    let category = row.category.as_deref().unwrap_or_default();
    to_value(SearchDoc {
        id: row.id.clone(),
        doc_type: DocType::Product,
        language: Language::En,
        title: row.name.clone(),
        body: format!(
            "{} {category} (merchant {} on {})",
            row.name, row.merchant_id, row.network
        ),
        website_id: None,
        updated_at_ms: row.updated_at.and_utc().timestamp_millis(),
    })
}

/// A research note's document: the topic is the title; the body is its findings, one a line.
pub fn note_doc(note: &ResearchNote) -> Value {
    let findings = note.body.0["findings"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let body = findings
        .iter()
        .filter_map(|finding| finding["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    to_value(SearchDoc {
        id: note.id.clone(),
        doc_type: DocType::ResearchNote,
        language: note.language.parse().unwrap_or(Language::En),
        title: note.topic.clone(),
        body,
        website_id: None,
        updated_at_ms: note.created_at.and_utc().timestamp_millis(),
    })
}

/// A written article's document, with its site; other pages are not searched. The page does
/// not carry its site's language, so it is read off the text.
pub fn article_doc(page: &SitePage) -> Option<Value> {
    if page.kind != PageKind::Article || !page.written {
        return None;
    }
    let body = format!(
        "{}\n{}\n{}",
        page.keyword, page.meta_description, page.markdown
    );
    Some(to_value(SearchDoc {
        id: page.id.clone(),
        doc_type: DocType::Article,
        language: detect(&body).unwrap_or(Language::En),
        title: page.title.clone(),
        body,
        website_id: Some(page.website_id.clone()),
        updated_at_ms: page.updated_at.and_utc().timestamp_millis(),
    }))
}

fn to_value(doc: SearchDoc) -> Value {
    // A struct of strings and integers always serialises; `Null` would only be skipped.
    serde_json::to_value(doc).unwrap_or(Value::Null)
}
