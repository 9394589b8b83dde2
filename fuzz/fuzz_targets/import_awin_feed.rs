//! `POST /api/v1/imports` (AWIN feed) and `empire import awin-feed`: an AWIN product feed (CSV,
//! plain or gzip) read row by row.
//!
//! Properties: nothing panics and a fatal error ends the rows; a product read has its required
//! fields, an http(s) tracking link, an all-digit advertiser id and a key naming both ids.
#![no_main]

use std::io::Cursor;

use empire_actors::intelligence::imports::AwinFeedReader;
use libfuzzer_sys::fuzz_target;

const MAX_ROWS: usize = 100_000;

fuzz_target!(|data: &[u8]| {
    let Ok(reader) = AwinFeedReader::new(Cursor::new(data.to_vec())) else {
        return;
    };
    let mut reader = reader.take(MAX_ROWS);
    while let Some(item) = reader.next() {
        let product = match item {
            Err(_) => {
                assert!(reader.next().is_none(), "rows after a fatal error");
                return;
            }
            Ok(Err(_)) => continue,
            Ok(Ok(product)) => product,
        };
        assert!(!product.aw_product_id.is_empty());
        assert!(!product.product_name.is_empty());
        assert!(!product.merchant_id.is_empty());
        assert!(
            product.merchant_id.bytes().all(|b| b.is_ascii_digit()),
            "{product:?}"
        );
        assert!(matches!(product.aw_deep_link.scheme(), "http" | "https"));
        assert_eq!(
            product.key().as_str(),
            format!("awin:{}:{}", product.merchant_id, product.aw_product_id)
        );
        assert!(product.extra.values().all(|v| !v.is_empty()), "{product:?}");
    }
});
