//! Digistore24's REST API: `GET {base}/api/call/listPurchases` with `X-DS-API-KEY`, answering
//! the envelope `{"result": "success", "data": {...}}` or `{"result": "error", "message"}`,
//! errors included, with HTTP 200. The list's field names are not fully documented
//! (external-apis.md §2.2), so a purchase is read leniently.

use chrono::NaiveDateTime;
use empire_schema::Secret;
use serde_json::Value;

use super::{NetworkError, json, transport};

/// Purchases per page, and the most pages read in one listing.
const PAGE_SIZE: usize = 1_000;
const MAX_PAGES: u32 = 20;

#[derive(Debug, Clone)]
pub struct Digistore24Api {
    client: reqwest::Client,
    base_url: String,
    key: Secret,
}

/// What the reconciliation needs of a purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub order_id: String,
    pub created_at: Option<String>,
}

impl Digistore24Api {
    pub fn new(client: reqwest::Client, base_url: &str, key: Secret) -> Digistore24Api {
        Digistore24Api {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
            key,
        }
    }

    /// The purchases we earn commission on, made since `from` (UTC), oldest first.
    pub async fn list_purchases(&self, from: NaiveDateTime) -> Result<Vec<Purchase>, NetworkError> {
        let mut purchases = Vec::new();
        for page in 1..=MAX_PAGES {
            let data = self
                .call(
                    "listPurchases",
                    &[
                        ("from", from.format("%Y-%m-%d %H:%M:%S").to_string()),
                        ("to", "now".to_owned()),
                        ("search[role]", "affiliate".to_owned()),
                        ("sort_by", "date".to_owned()),
                        ("sort_order", "asc".to_owned()),
                        ("page_no", page.to_string()),
                        ("page_size", PAGE_SIZE.to_string()),
                    ],
                )
                .await?;
            let list = match &data {
                Value::Array(items) => items.clone(),
                Value::Object(fields) => fields
                    .get("purchase_list")
                    .or_else(|| fields.get("purchases"))
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            let count = list.len();
            purchases.extend(list.iter().filter_map(purchase));
            if count < PAGE_SIZE {
                break;
            }
        }
        Ok(purchases)
    }

    async fn call(&self, function: &str, query: &[(&str, String)]) -> Result<Value, NetworkError> {
        let response = self
            .client
            .get(format!("{}/api/call/{function}", self.base_url))
            .header("X-DS-API-KEY", self.key.expose())
            .header("accept", "application/json")
            .query(&[("language", "en")])
            .query(query)
            .send()
            .await
            .map_err(transport)?;
        let envelope: Value = json(response).await?;
        match envelope["result"].as_str() {
            Some("success") => Ok(envelope["data"].clone()),
            _ => Err(NetworkError::Refused(
                envelope["message"]
                    .as_str()
                    .unwrap_or("no message")
                    .chars()
                    .take(200)
                    .collect(),
            )),
        }
    }
}

/// A purchase from a list item: its order id (`id` or `order_id`) and when it was made.
fn purchase(item: &Value) -> Option<Purchase> {
    let text = |name: &str| match &item[name] {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    Some(Purchase {
        order_id: text("id").or_else(|| text("order_id"))?,
        created_at: text("created_at").or_else(|| text("order_date")),
    })
}
