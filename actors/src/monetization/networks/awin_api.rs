//! AWIN's publisher API: `GET /publishers/{id}/programmes?relationship=joined` and
//! `GET /publishers/{id}/transactions/?startDate=&endDate=&timezone=UTC` (windows of at most 31
//! days), with `Authorization: Bearer <token>`. AWIN allows 20 calls a minute per user, so calls
//! are spaced by `spacing`.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use empire_schema::Secret;
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{NetworkError, json, transport};

/// AWIN's longest transactions window.
pub const MAX_WINDOW_DAYS: i64 = 31;

#[derive(Debug, Clone)]
pub struct AwinApi {
    client: reqwest::Client,
    base_url: String,
    token: Secret,
    publisher_id: String,
    spacing: Duration,
    last_call: Arc<Mutex<Option<Instant>>>,
}

/// A joined programme (advertiser).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Programme {
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub display_url: Option<String>,
    #[serde(default)]
    pub currency_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Amount {
    #[serde(default)]
    pub amount: Option<f64>,
    #[serde(default)]
    pub currency: Option<String>,
}

/// One transaction; every field but `id` may be missing.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub id: i64,
    #[serde(default)]
    pub advertiser_id: Option<i64>,
    #[serde(default)]
    pub commission_status: Option<String>,
    #[serde(default)]
    pub commission_amount: Option<Amount>,
    #[serde(default)]
    pub sale_amount: Option<Amount>,
    #[serde(default)]
    pub click_refs: Option<ClickRefs>,
    #[serde(default)]
    pub transaction_date: Option<String>,
    #[serde(default)]
    pub decline_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClickRefs {
    #[serde(default)]
    pub click_ref: Option<String>,
}

impl AwinApi {
    pub fn new(
        client: reqwest::Client,
        base_url: &str,
        token: Secret,
        publisher_id: &str,
        spacing: Duration,
    ) -> AwinApi {
        AwinApi {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token,
            publisher_id: publisher_id.to_owned(),
            spacing,
            last_call: Arc::new(Mutex::new(None)),
        }
    }

    /// The programmes we have joined.
    pub async fn joined_programmes(&self) -> Result<Vec<Programme>, NetworkError> {
        self.get("programmes", &[("relationship", "joined".to_owned())])
            .await
    }

    /// Transactions dated in `[start, end)` (UTC; at most 31 days apart).
    pub async fn transactions(
        &self,
        start: NaiveDateTime,
        end: NaiveDateTime,
    ) -> Result<Vec<Transaction>, NetworkError> {
        let format = "%Y-%m-%dT%H:%M:%S";
        self.get(
            "transactions/",
            &[
                ("startDate", start.format(format).to_string()),
                ("endDate", end.format(format).to_string()),
                ("timezone", "UTC".to_owned()),
                ("dateType", "transaction".to_owned()),
            ],
        )
        .await
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, NetworkError> {
        self.wait_turn().await;
        let url = format!("{}/publishers/{}/{path}", self.base_url, self.publisher_id);
        let response = self
            .client
            .get(url)
            .bearer_auth(self.token.expose())
            .header("accept", "application/json")
            .query(query)
            .send()
            .await
            .map_err(transport)?;
        json(response).await
    }

    /// Keeps calls `spacing` apart (AWIN: 20 a minute).
    async fn wait_turn(&self) {
        let mut last = self.last_call.lock().await;
        if let Some(at) = *last {
            tokio::time::sleep_until(at + self.spacing).await;
        }
        *last = Some(Instant::now());
    }
}
