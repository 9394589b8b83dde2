//! Digistore24's IPN (instant payment notification): a form POST per order item and event,
//! signed with `sha_sign` (SHA-512 over the sorted non-empty `key=value` pairs, each followed by
//! the passphrase, upper-case hex), resent for days until it is answered `OK`.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use empire_schema::models::ReportedSale;
use empire_schema::types::{ConversionStatus, Network};
use sha2::{Digest, Sha512};
use subtle::ConstantTimeEq;

use super::{Notice, NoticeError, cents};

/// The fields that carry the signature (neither is signed).
const SIGNATURE_FIELDS: [&str; 2] = ["sha_sign", "SHASIGN"];

/// The signature Digistore24 sends with `params` for `passphrase`.
pub fn signature(params: &BTreeMap<String, String>, passphrase: &str) -> String {
    let mut hasher = Sha512::new();
    // A BTreeMap iterates its keys in byte order, the order the signature is made in.
    for (key, value) in params {
        if value.is_empty() || SIGNATURE_FIELDS.contains(&key.as_str()) {
            continue;
        }
        hasher.update(key.as_bytes());
        hasher.update(b"=");
        hasher.update(value.as_bytes());
        hasher.update(passphrase.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect()
}

/// Whether `params` carry a valid `sha_sign` for `passphrase`, compared in constant time. Older
/// senders signed HTML-decoded values, so a failing check is retried with those. A notice with
/// no signed field is refused: its signature (of nothing) is the same for every passphrase.
pub fn verify(params: &BTreeMap<String, String>, passphrase: &str) -> bool {
    let Some(given) = SIGNATURE_FIELDS.iter().find_map(|field| params.get(*field)) else {
        return false;
    };
    let signs_something = params
        .iter()
        .any(|(key, value)| !value.is_empty() && !SIGNATURE_FIELDS.contains(&key.as_str()));
    if !signs_something {
        return false;
    }
    let given = given.trim().to_ascii_uppercase();
    let matches = |params: &BTreeMap<String, String>| {
        bool::from(
            signature(params, passphrase)
                .as_bytes()
                .ct_eq(given.as_bytes()),
        )
    };
    if matches(params) {
        return true;
    }
    params.values().any(|value| value.contains('&')) && {
        let decoded = params
            .iter()
            .map(|(key, value)| (key.clone(), html_decode(value)))
            .collect();
        matches(&decoded)
    }
}

/// What a verified IPN reports. Payments, refunds and chargebacks are sales; every other event
/// (a connection test, an affiliation, a missed or stopped rebill) is only acknowledged.
pub fn read(params: &BTreeMap<String, String>) -> Result<Notice, NoticeError> {
    let field = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let event = field("event")
        .or_else(|| field("function_call"))
        .ok_or(NoticeError::Missing("event"))?
        .to_owned();
    let order = field("order_id");
    let item = field("order_item_id")
        .or_else(|| field("product_id"))
        .unwrap_or("-");
    let sequence = field("pay_sequence_no").unwrap_or("0");
    let transaction = field("transaction_id").unwrap_or("-");
    let event_key = format!(
        "{event}/{}/{item}/{sequence}/{transaction}",
        order.unwrap_or("-")
    );
    let status = match event.as_str() {
        "on_payment" => ConversionStatus::Approved,
        "on_refund" => ConversionStatus::Refunded,
        "on_chargeback" => ConversionStatus::Chargeback,
        _ => return Ok(Notice::Other { event_key, event }),
    };
    let order = order.ok_or(NoticeError::Missing("order_id"))?;
    let amount = |name: &'static str| -> Result<Option<i64>, NoticeError> {
        field(name)
            .map(|text| cents(text.trim_start_matches('-')).ok_or(NoticeError::Invalid(name)))
            .transpose()
    };
    let commission_cents = amount("amount_affiliate")?.unwrap_or(0);
    let sale_cents = match amount("amount_brutto")? {
        Some(cents) => Some(cents),
        None => amount("amount")?,
    };
    let currency = field("currency")
        .or_else(|| field("transaction_currency"))
        .filter(|code| code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()))
        .ok_or(NoticeError::Missing("currency"))?
        .to_ascii_uppercase();
    let click_ref = ["click_id", "cid", "trackingkey", "custom"]
        .into_iter()
        .find_map(field)
        .map(str::to_owned);
    let sale = ReportedSale {
        network: Network::Digistore24,
        external_id: format!("{order}/{item}/{sequence}"),
        order_id: Some(order.to_owned()),
        status,
        commission_cents,
        sale_cents,
        currency,
        click_ref,
        occurred_at: occurred_at(field("transaction_date").or_else(|| field("order_date_time")))
            .or_else(|| occurred_at(field("order_date")))
            .unwrap_or_else(empire_schema::clock::now),
    };
    Ok(Notice::Sale {
        event_key,
        event,
        sale,
    })
}

/// `2026-12-01 10:00:00` or `2026-12-01`.
fn occurred_at(text: Option<&str>) -> Option<NaiveDateTime> {
    let text = text?;
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|day| day.and_hms_opt(0, 0, 0))
        })
}

/// The entities PHP's `htmlspecialchars` writes, decoded.
fn html_decode(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#039;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSPHRASE: &str = "my-ipn-passphrase";

    fn vector() -> BTreeMap<String, String> {
        [
            ("event", "on_payment"),
            ("order_id", "ABC123XY"),
            ("product_id", "12345"),
            ("amount", "37.00"),
            ("currency", "EUR"),
            ("email", "buyer@example.com"),
            ("affiliate_name", ""),
            ("api_mode", "test"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[test]
    fn the_documented_vector_signs_and_verifies() {
        let mut params = vector();
        let expected = "09D01BC324DE14B30737216E74E3B67E8DC5683AB06202A7253D9A071CCD26F20614E55EB544CB3F9C4E1EC0B0C222A02270A3CB0283FFDEE084F70B882B9105";
        assert_eq!(signature(&params, PASSPHRASE), expected);
        params.insert("sha_sign".into(), expected.into());
        assert!(verify(&params, PASSPHRASE));
        params.insert("sha_sign".into(), expected.to_ascii_lowercase());
        assert!(verify(&params, PASSPHRASE), "hex case does not matter");
    }

    #[test]
    fn tampering_or_another_passphrase_fails() {
        let mut params = vector();
        params.insert("sha_sign".into(), signature(&params, PASSPHRASE));
        assert!(!verify(&params, "other"));
        params.insert("amount".into(), "3700.00".into());
        assert!(!verify(&params, PASSPHRASE));
        params.remove("sha_sign");
        assert!(!verify(&params, PASSPHRASE), "unsigned");
    }

    #[test]
    fn a_notice_with_nothing_signed_is_refused_whatever_the_passphrase() {
        // Found by fuzz/ (webhook_digistore24): SHA-512 of nothing verified under any passphrase.
        let mut params = BTreeMap::from([("affiliate_name".to_owned(), String::new())]);
        let forged = signature(&params, "anything");
        assert_eq!(forged, signature(&params, PASSPHRASE));
        params.insert("sha_sign".into(), forged);
        assert!(!verify(&params, PASSPHRASE));
        params.insert("SHASIGN".into(), "also unsigned".into());
        assert!(!verify(&params, PASSPHRASE));
    }

    #[test]
    fn html_encoded_values_verify_against_their_decoded_signature() {
        let mut decoded = vector();
        decoded.insert("product_name".into(), "Tom & Jerry's".into());
        let sign = signature(&decoded, PASSPHRASE);
        let mut sent = vector();
        sent.insert("product_name".into(), "Tom &amp; Jerry&#039;s".into());
        sent.insert("sha_sign".into(), sign);
        assert!(verify(&sent, PASSPHRASE));
    }

    #[test]
    fn payments_refunds_and_other_events_read_as_notices() {
        let mut params = vector();
        params.insert("amount_affiliate".into(), "12.95".into());
        params.insert("amount_brutto".into(), "44.03".into());
        params.insert("pay_sequence_no".into(), "1".into());
        params.insert("click_id".into(), "Tq3xZ8mK1pVw".into());
        params.insert("transaction_date".into(), "2026-12-01 10:30:00".into());
        let Notice::Sale { sale, .. } = read(&params).unwrap() else {
            panic!("a payment is a sale")
        };
        assert_eq!(sale.status, ConversionStatus::Approved);
        assert_eq!(sale.external_id, "ABC123XY/12345/1");
        assert_eq!((sale.commission_cents, sale.sale_cents), (1295, Some(4403)));
        assert_eq!(sale.click_ref.as_deref(), Some("Tq3xZ8mK1pVw"));
        assert_eq!(sale.occurred_at.to_string(), "2026-12-01 10:30:00");

        params.insert("event".into(), "on_refund".into());
        params.insert("amount_affiliate".into(), "-12.95".into());
        let Notice::Sale { sale: refund, .. } = read(&params).unwrap() else {
            panic!("a refund is a sale's new status")
        };
        assert_eq!(refund.status, ConversionStatus::Refunded);
        assert_eq!(refund.external_id, sale.external_id, "the same sale");

        params.insert("event".into(), "connection_test".into());
        assert!(matches!(read(&params).unwrap(), Notice::Other { .. }));
        params.insert("event".into(), "on_payment".into());
        params.insert("amount_affiliate".into(), "twelve".into());
        assert_eq!(
            read(&params).unwrap_err(),
            NoticeError::Invalid("amount_affiliate")
        );
    }
}
