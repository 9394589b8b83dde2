//! `POST /webhooks/awin/{token}`: the `AwinTransactionPush` form field, or a raw JSON body, read
//! into a notice, both ways the route reads it.
//!
//! Properties: nothing panics; a push read is a pending sale keyed `push/<transactionId>`, with
//! a three-letter upper-case currency and no negative amount.
#![no_main]

use empire::routes::webhooks::form_pairs;
use empire_actors::monetization::notifications::{Notice, awin};
use empire_schema::types::ConversionStatus;
use libfuzzer_sys::fuzz_target;

fn check(json: &str) {
    let Ok(notice) = awin::read(json) else {
        return;
    };
    let Notice::Sale {
        event_key, sale, ..
    } = notice
    else {
        panic!("a push is always a sale: {notice:?}");
    };
    assert_eq!(event_key, format!("push/{}", sale.external_id));
    assert!(!sale.external_id.is_empty());
    assert_eq!(sale.status, ConversionStatus::Pending);
    assert_eq!(sale.currency.len(), 3, "{sale:?}");
    assert!(
        sale.currency.bytes().all(|b| b.is_ascii_uppercase()),
        "{sale:?}"
    );
    assert!(sale.commission_cents >= 0, "{sale:?}");
    assert!(sale.sale_cents.is_none_or(|cents| cents >= 0), "{sale:?}");
}

fuzz_target!(|body: &[u8]| {
    if let Some(json) = form_pairs(body).remove(awin::FORM_FIELD) {
        check(&json);
    }
    check(&String::from_utf8_lossy(body));
});
