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
        image_url: image_url(row),
    }
}

/// The merchant's own picture (full size) before AWIN's copy (a small thumbnail), and only a
/// web address: the site builder fetches it.
fn image_url(row: &FeedProduct) -> Option<String> {
    [&row.merchant_image_url, &row.aw_image_url]
        .into_iter()
        .flatten()
        .find(|url| {
            url::Url::parse(url).is_ok_and(|parsed| matches!(parsed.scheme(), "http" | "https"))
        })
        .cloned()
}

/// Counts and cents past `i64::MAX` do not occur in real files; they are stored as the maximum.
fn clamp(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::intelligence::imports::AwinFeedReader;

    fn product(images: &str) -> NewProduct {
        let csv = format!(
            "aw_deep_link,product_name,aw_product_id,merchant_id,search_price,currency,merchant_image_url,aw_image_url\n\
             https://www.awin1.com/pclick.php?p=1&a=2&m=3,Shears,1,3,9.99,EUR,{images}\n"
        );
        let row = AwinFeedReader::new(Cursor::new(csv.into_bytes()))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .unwrap();
        new_product(&row)
    }

    #[test]
    fn the_merchants_picture_wins_and_only_web_addresses_count() {
        let both = product("https://shop.example/big.jpg,https://images2.productserve.com/s.jpg");
        assert_eq!(
            both.image_url.as_deref(),
            Some("https://shop.example/big.jpg")
        );
        let thumbnail =
            product("ftp://shop.example/big.jpg,https://images2.productserve.com/s.jpg");
        assert_eq!(
            thumbnail.image_url.as_deref(),
            Some("https://images2.productserve.com/s.jpg")
        );
        assert_eq!(product(",").image_url, None);
    }
}
