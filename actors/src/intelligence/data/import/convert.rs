//! Parsed import rows turned into the store's new rows.

use empire_schema::models::{NewKeyword, NewProduct};

use crate::intelligence::imports::{FeedProduct, KeywordRow};
use crate::intelligence::nlp::Language;

pub fn new_keyword(row: &KeywordRow, language: Language, niche: Option<&str>) -> NewKeyword {
    NewKeyword {
        keyword: row.keyword.clone(),
        language,
        volume: clamp(row.volume),
        cpc_cents: row.cpc_cents.map(clamp),
        currency: row.cpc_currency.map(|code| code.as_str().to_owned()),
        difficulty: row.difficulty.map(i64::from),
        niche: niche.map(str::to_owned),
        import_key: row.key(language).to_string(),
        history: row
            .trend
            .iter()
            .map(|(month, volume)| (month.to_string(), clamp(*volume)))
            .collect(),
    }
}

pub fn new_product(row: &FeedProduct) -> NewProduct {
    NewProduct {
        network: "awin".to_owned(),
        merchant_id: row.merchant_id.clone(),
        product_id: row.aw_product_id.clone(),
        name: row.product_name.clone(),
        deep_link: row.aw_deep_link.to_string(),
        price_cents: clamp(row.price_cents),
        currency: row.currency.as_str().to_owned(),
        category: row
            .category_name
            .clone()
            .or_else(|| row.merchant_category.clone()),
        in_stock: row.in_stock,
        import_key: row.key().to_string(),
    }
}

/// Counts and cents past `i64::MAX` do not occur in real files; they are stored as the maximum.
fn clamp(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
