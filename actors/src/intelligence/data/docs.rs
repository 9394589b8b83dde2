//! The search documents of stored keywords and products, as queued in the outbox.

use empire_schema::models::{Keyword, Product};
use serde_json::Value;

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

fn to_value(doc: SearchDoc) -> Value {
    // A struct of strings and integers always serialises; `Null` would only be skipped.
    serde_json::to_value(doc).unwrap_or(Value::Null)
}
