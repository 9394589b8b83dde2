//! AWIN feeds: the standard columns, extras, gzip, and bad products with their line numbers.

use std::io::{Cursor, Write};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::*;

const HEADER: &str = "aw_deep_link,product_name,aw_product_id,merchant_product_id,merchant_image_url,description,\
merchant_category,search_price,merchant_name,merchant_id,category_name,category_id,aw_image_url,currency,\
store_price,delivery_cost,merchant_deep_link,language,last_updated,display_price,data_feed_id,in_stock,Fashion:size\n";

const GOOD: &str = "https://www.awin1.com/pclick.php?p=123&a=456&m=789,\"Trail Runner 2, \"\"Pro\"\"\",123,SKU-1,\
https://shop.example/1.jpg,\"Light, grippy.\",Shoes,89.95,Shoe Shop,789,Running Shoes,144,\
https://images2.productserve.com/1.jpg,EUR,99.95,4.90,https://shop.example/p/1,de,2025-01-10 10:00:00,EUR89.95,5555,1,44\n\
https://www.awin1.com/pclick.php?p=124&a=456&m=789,Socks,124,,,,,\"1.234,50\",,789,,,,eur,,,,,,,5555,,\n";

fn products(bytes: Vec<u8>) -> Vec<Result<FeedProduct, RowError>> {
    AwinFeedReader::new(Cursor::new(bytes))
        .unwrap()
        .map(|item| item.unwrap())
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn standard_feed_rows_become_products() {
    let rows = products(format!("{HEADER}{GOOD}").into_bytes());
    let first = rows[0].as_ref().unwrap();
    assert_eq!(first.product_name, "Trail Runner 2, \"Pro\"");
    assert_eq!(
        first.aw_deep_link.as_str(),
        "https://www.awin1.com/pclick.php?p=123&a=456&m=789"
    );
    assert_eq!(
        (first.price_cents, first.currency),
        (8_995, CurrencyCode::EUR)
    );
    assert_eq!(
        (
            first.store_price_cents,
            first.delivery_cost_cents,
            first.rrp_price_cents
        ),
        (Some(9_995), Some(490), None)
    );
    assert_eq!(first.merchant_name.as_deref(), Some("Shoe Shop"));
    assert_eq!(first.description.as_deref(), Some("Light, grippy."));
    assert_eq!(first.category_name.as_deref(), Some("Running Shoes"));
    assert_eq!(first.in_stock, Some(true));
    assert_eq!(
        first.extra.get("display_price").map(String::as_str),
        Some("EUR89.95")
    );
    assert_eq!(
        first.extra.get("Fashion:size").map(String::as_str),
        Some("44")
    );
    assert_eq!(first.key().as_str(), "awin:789:123");

    let socks = rows[1].as_ref().unwrap();
    assert_eq!(
        (socks.price_cents, socks.currency),
        (123_450, CurrencyCode::EUR)
    );
    assert_eq!((socks.merchant_name.as_ref(), socks.in_stock), (None, None));
    assert!(socks.extra.is_empty());
}

#[test]
fn gzip_feeds_are_detected_without_a_file_name() {
    let plain = format!("{HEADER}{GOOD}").into_bytes();
    assert_eq!(products(gzip(&plain)), products(plain.clone()));
    // AWIN downloads can be several gzip members; a member may end mid-row.
    let (head, tail) = plain.split_at(plain.len() / 2);
    let mut members = gzip(head);
    members.extend(gzip(tail));
    assert_eq!(products(members), products(plain));
}

#[test]
fn a_truncated_gzip_feed_ends_in_a_fatal_error() {
    let mut body = String::from(
        "aw_product_id,merchant_id,product_name,aw_deep_link,search_price,currency,description\n",
    );
    // Distinct rows, so the first half of the compressed file holds far more than the header sniff.
    for i in 0u64..4000 {
        let noise = i.wrapping_mul(2_654_435_761) % 1_000_000_007;
        body.push_str(&format!(
            "{i},789,Product {noise},https://a.example/{i},{}.99,EUR,{noise:x} {i:o} {noise}\n",
            i % 500
        ));
    }
    let mut truncated = gzip(body.as_bytes());
    truncated.truncate(truncated.len() / 2);
    let items: Vec<_> = AwinFeedReader::new(Cursor::new(truncated))
        .unwrap()
        .collect();
    assert!(items.len() > 1000, "{}", items.len());
    assert!(matches!(
        items.last(),
        Some(Err(ImportError::Io(_) | ImportError::Csv(_)))
    ));
    assert!(
        items[..items.len() - 1]
            .iter()
            .all(|item| matches!(item, Ok(Ok(_))))
    );
}

#[test]
fn bad_products_name_their_line_and_column() {
    let header =
        "aw_product_id,merchant_id,product_name,aw_deep_link,search_price,currency,in_stock\n";
    let rows = "1,789,Good,https://a.example/1,9.99,EUR,yes\n\
                2,789,,https://a.example/2,9.99,EUR,\n\
                3,789,No price,https://a.example/3,,EUR,\n\
                4,789,Bad price,https://a.example/4,nine,EUR,\n\
                5,789,Bad currency,https://a.example/5,9.99,EURO,\n\
                6,789,Bad link,not a link,9.99,EUR,\n\
                7,shop,Bad merchant,https://a.example/7,9.99,EUR,\n\
                8,789,Bad stock,https://a.example/8,9.99,EUR,maybe\n\
                9,789,Two currencies,https://a.example/9,$9.99,EUR,\n\
                10,789,Negative,https://a.example/10,-1.00,EUR,\n\
                ,789,No id,https://a.example/11,1.00,EUR,\n";
    let outcome: Vec<Result<String, (u64, String)>> =
        products(format!("{header}{rows}").into_bytes())
            .into_iter()
            .map(|row| match row {
                Ok(product) => Ok(product.aw_product_id),
                Err(error) => Err((error.line, error.field.unwrap_or_default())),
            })
            .collect();
    let bad = |line, field: &str| Err((line, field.to_owned()));
    assert_eq!(
        outcome,
        [
            Ok("1".to_owned()),
            bad(3, "product_name"),
            bad(4, "search_price"),
            bad(5, "search_price"),
            bad(6, "currency"),
            bad(7, "aw_deep_link"),
            bad(8, "merchant_id"),
            bad(9, "in_stock"),
            bad(10, "search_price"),
            bad(11, "search_price"),
            bad(12, "aw_product_id"),
        ]
    );
}

#[test]
fn a_header_without_the_required_columns_is_fatal() {
    let header_only = b"aw_product_id,product_name,search_price\n1,x,1.00\n".to_vec();
    assert!(matches!(
        AwinFeedReader::new(Cursor::new(header_only)),
        Err(ImportError::Header { .. })
    ));
}
