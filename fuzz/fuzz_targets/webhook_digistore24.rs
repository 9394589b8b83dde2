//! `POST /webhooks/digistore24`: the form body, the `sha_sign` check and the notice read from it.
//!
//! Properties: nothing panics; the signature Digistore24 would send for these very fields
//! verifies, in either hex case, and fails for another passphrase or a changed value; a notice
//! about a sale has a three-letter upper-case currency and no negative amount.
#![no_main]

use empire::routes::webhooks::form_pairs;
use empire_actors::monetization::notifications::{Notice, digistore24};
use libfuzzer_sys::fuzz_target;

const PASSPHRASE: &str = "fuzz-ipn-passphrase";

fuzz_target!(|body: &[u8]| {
    let mut params = form_pairs(body);
    let _ = digistore24::verify(&params, PASSPHRASE);
    if let Ok(Notice::Sale {
        sale,
        event_key,
        event,
    }) = digistore24::read(&params)
    {
        assert_eq!(sale.currency.len(), 3, "{sale:?}");
        assert!(
            sale.currency.bytes().all(|b| b.is_ascii_uppercase()),
            "{sale:?}"
        );
        assert!(sale.commission_cents >= 0, "{sale:?}");
        assert!(sale.sale_cents.is_none_or(|cents| cents >= 0), "{sale:?}");
        assert!(event_key.starts_with(&event), "{event_key} / {event}");
    }

    // What Digistore24 signs: the non-empty values of every field but the signature's.
    let signed_key = params
        .iter()
        .find(|(key, value)| !value.is_empty() && !matches!(key.as_str(), "sha_sign" | "SHASIGN"))
        .map(|(key, _)| key.clone());
    let signed = digistore24::signature(&params, PASSPHRASE);
    params.insert("sha_sign".into(), signed.to_ascii_lowercase());
    // A notice with nothing signed has the same signature under every passphrase: refused.
    assert_eq!(
        digistore24::verify(&params, PASSPHRASE),
        signed_key.is_some(),
        "{params:?}"
    );
    assert!(!digistore24::verify(&params, "another passphrase"));
    // Changing any signed value breaks the signature.
    if let Some(key) = signed_key {
        if let Some(value) = params.get_mut(&key) {
            value.push('x');
        }
        assert!(
            !digistore24::verify(&params, PASSPHRASE),
            "tampered `{key}` accepted"
        );
    }
});
