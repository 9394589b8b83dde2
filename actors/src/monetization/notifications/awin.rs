//! AWIN's transaction notifications: a form POST whose one field `AwinTransactionPush` holds
//! the transaction as a JSON string (a raw JSON body is accepted too). AWIN signs nothing, so the
//! route's unguessable token is the only proof of origin; a push reports a new, pending sale.

use chrono::NaiveDateTime;
use empire_schema::models::ReportedSale;
use empire_schema::types::{ConversionStatus, Network};
use serde_json::{Map, Value};

use super::{Notice, NoticeError, cents};

/// The form field that carries the JSON.
pub const FORM_FIELD: &str = "AwinTransactionPush";

/// Reads a push from its JSON text.
pub fn read(json: &str) -> Result<Notice, NoticeError> {
    let value: Value = serde_json::from_str(json).map_err(|_| NoticeError::Invalid("body"))?;
    let Value::Object(fields) = value else {
        return Err(NoticeError::Invalid("body"));
    };
    let id = text(&fields, "transactionId").ok_or(NoticeError::Missing("transactionId"))?;
    let amount = |name: &'static str| -> Result<Option<i64>, NoticeError> {
        text(&fields, name)
            .map(|value| cents(&value).ok_or(NoticeError::Invalid(name)))
            .transpose()
    };
    let commission_cents = amount("commission")?.ok_or(NoticeError::Missing("commission"))?;
    let currency = text(&fields, "transactionCurrency")
        .or_else(|| text(&fields, "trackedCurrency"))
        .filter(|code| code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()))
        .ok_or(NoticeError::Missing("transactionCurrency"))?
        .to_ascii_uppercase();
    let occurred_at = text(&fields, "transactionDate")
        .and_then(|date| NaiveDateTime::parse_from_str(&date, "%Y-%m-%d %H:%M:%S").ok())
        .unwrap_or_else(empire_schema::clock::now);
    let sale = ReportedSale {
        network: Network::Awin,
        external_id: id.clone(),
        order_id: None,
        status: ConversionStatus::Pending,
        commission_cents,
        sale_cents: amount("transactionAmount")?,
        currency,
        click_ref: text(&fields, "clickRef"),
        occurred_at,
    };
    Ok(Notice::Sale {
        event_key: format!("push/{id}"),
        event: "transaction".into(),
        sale,
    })
}

/// A field as text: AWIN sends strings, but a number is read as written.
fn text(fields: &Map<String, Value>, name: &str) -> Option<String> {
    match fields.get(name)? {
        Value::String(text) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_reads_as_a_pending_sale() {
        let json = r#"{"transactionId":"98765","transactionDate":"2026-12-01 09:15:00",
            "transactionCurrency":"EUR","transactionAmount":"120.00","commission":"9.60",
            "affiliateId":"123456","merchantId":"1001","clickRef":"Tq3xZ8mK1pVw",
            "commissionGroups":[{"id":"1"}],"products":[]}"#;
        let Notice::Sale {
            event_key, sale, ..
        } = read(json).unwrap()
        else {
            panic!("a push is a sale")
        };
        assert_eq!(event_key, "push/98765");
        assert_eq!(sale.status, ConversionStatus::Pending);
        assert_eq!(
            (sale.commission_cents, sale.sale_cents),
            (960, Some(12_000))
        );
        assert_eq!(sale.click_ref.as_deref(), Some("Tq3xZ8mK1pVw"));
        assert_eq!(sale.occurred_at.to_string(), "2026-12-01 09:15:00");
    }

    #[test]
    fn numbers_are_read_and_bad_pushes_name_the_field() {
        let ok = read(r#"{"transactionId":5,"transactionCurrency":"gbp","commission":1.5}"#);
        let Ok(Notice::Sale { sale, .. }) = ok else {
            panic!("{ok:?}")
        };
        assert_eq!(
            (sale.external_id.as_str(), sale.currency.as_str()),
            ("5", "GBP")
        );
        assert_eq!(sale.commission_cents, 150);
        assert_eq!(read("[1]").unwrap_err(), NoticeError::Invalid("body"));
        assert_eq!(
            read(r#"{"commission":"1"}"#).unwrap_err(),
            NoticeError::Missing("transactionId")
        );
        assert_eq!(
            read(r#"{"transactionId":"1","commission":"lots","transactionCurrency":"EUR"}"#)
                .unwrap_err(),
            NoticeError::Invalid("commission")
        );
    }
}
