//! `sync_networks`: pulls what the networks know into our books. From AWIN, every transaction
//! of the last `days` (in 31-day windows): a push only ever reports a new, pending sale, so
//! approvals and declines arrive here, each status change recorded once like a notification.
//! With `niche`, AWIN's joined programmes also join that niche's offers. From Digistore24, the
//! purchases of the same period are compared with the sales its IPN reported: the IPN is the
//! record (it names each item and rebill), so missing orders are reported, not invented.
//! The node schedules this every `[integrations] sync_every_minutes`.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDateTime};
use empire_schema::clock::now;
use empire_schema::models::{Conversion, NewOffer, Offer, Recorded, ReportedSale};
use empire_schema::types::{ConversionStatus, Network};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::networks::awin_api::{MAX_WINDOW_DAYS, Transaction};
use super::notifications::{Notice, Outcome, record};
use crate::kinds::{FieldError, KindError};
use crate::services::Services;

const DEFAULT_DAYS: i64 = 31;
const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// How far back to look.
    #[serde(default)]
    pub days: Option<i64>,
    /// The niche AWIN's joined programmes are offers of; programmes are not stored without it.
    #[serde(default)]
    pub niche: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub awin: Option<AwinSync>,
    pub digistore24: Option<Digistore24Sync>,
    /// Networks not synced, with why (no credentials configured: nothing to do is a success).
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AwinSync {
    pub transactions: usize,
    /// Sales stored or moved to a new status.
    pub applied: usize,
    /// Already known as they are.
    pub repeated: usize,
    /// Older than what is stored (never moved back).
    pub behind: usize,
    /// Transactions that could not be read (named by id).
    pub unreadable: Vec<String>,
    pub programmes: usize,
    /// Offers added or updated from the programmes (with `niche`).
    pub offers: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Digistore24Sync {
    pub purchases: usize,
    /// Orders Digistore24 lists that no IPN reported (check the IPN settings).
    pub missing_orders: Vec<String>,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input
        .days
        .is_some_and(|days| !(1..=MAX_DAYS).contains(&days))
    {
        errors.push(FieldError::new("days", format!("must be 1 to {MAX_DAYS}")));
    }
    if input.niche.as_deref().is_some_and(|n| n.trim().is_empty()) {
        errors.push(FieldError::new("niche", "must not be empty when given"));
    }
    errors
}

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = crate::kinds::decode_valid(&input, validate)?;
    let output = sync(&services, &input).await?;
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

async fn sync(services: &Services, input: &Input) -> Result<Output, KindError> {
    let networks = &services.networks;
    let since = now() - Duration::days(input.days.unwrap_or(DEFAULT_DAYS));
    let mut output = Output::default();
    match &networks.awin {
        Some(_) => output.awin = Some(awin(services, input, since).await?),
        None => output
            .skipped
            .push("awin: set [integrations.awin] api_token and publisher_id".into()),
    }
    match &networks.digistore24 {
        Some(_) => output.digistore24 = Some(digistore24(services, since).await?),
        None => output
            .skipped
            .push("digistore24: set [integrations.digistore24] api_key".into()),
    }
    Ok(output)
}

fn failed(what: &'static str) -> impl Fn(String) -> KindError {
    move |reason| KindError::Failed(format!("{what}: {reason}"))
}

async fn awin(
    services: &Services,
    input: &Input,
    since: NaiveDateTime,
) -> Result<AwinSync, KindError> {
    let Some(api) = &services.networks.awin else {
        return Ok(AwinSync::default());
    };
    let mut sync = AwinSync::default();
    let end = now();
    let mut start = since;
    while start < end {
        let window_end = (start + Duration::days(MAX_WINDOW_DAYS)).min(end);
        let transactions = api
            .transactions(start, window_end)
            .await
            .map_err(|e| failed("AWIN transactions")(e.to_string()))?;
        sync.transactions += transactions.len();
        for transaction in &transactions {
            let Some(notice) = notice(transaction) else {
                sync.unreadable.push(transaction.id.to_string());
                continue;
            };
            match record(&services.db, Network::Awin, &notice)
                .await
                .map_err(|e| failed("recording a sale")(e.to_string()))?
            {
                Outcome::Sale(recorded) => match *recorded {
                    Recorded::Applied(_) => sync.applied += 1,
                    Recorded::Repeated => sync.repeated += 1,
                    Recorded::Behind(_) => sync.behind += 1,
                },
                Outcome::Noted(_) => {}
            }
        }
        start = window_end;
    }
    let programmes = api
        .joined_programmes()
        .await
        .map_err(|e| failed("AWIN programmes")(e.to_string()))?;
    sync.programmes = programmes.len();
    if let Some(niche) = &input.niche {
        let offers: Vec<NewOffer> = programmes
            .into_iter()
            .filter_map(|programme| {
                let url = programme.display_url.filter(|u| u.starts_with("http"))?;
                Some(NewOffer {
                    network: Network::Awin,
                    niche: niche.trim().to_owned(),
                    name: programme.name,
                    url,
                    advertiser_id: Some(programme.id.to_string()),
                    product_id: None,
                    price_cents: None,
                    currency: programme.currency_code,
                })
            })
            .collect();
        sync.offers = offers.len();
        Offer::upsert_many(&services.db, offers)
            .await
            .map_err(|e| failed("storing offers")(e.to_string()))?;
    }
    Ok(sync)
}

/// A transaction as a notice of its current status, or `None` when it cannot be read.
pub fn notice(transaction: &Transaction) -> Option<Notice> {
    let status = match transaction.commission_status.as_deref()? {
        "pending" => ConversionStatus::Pending,
        "approved" => ConversionStatus::Approved,
        "declined" | "deleted" => ConversionStatus::Declined,
        _ => return None,
    };
    let commission = transaction.commission_amount.as_ref()?;
    let currency = commission
        .currency
        .as_deref()
        .filter(|code| code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()))?
        .to_ascii_uppercase();
    let cents = |amount: f64| {
        (amount.is_finite() && amount >= 0.0).then(|| (amount * 100.0).round() as i64)
    };
    let id = transaction.id.to_string();
    let sale = ReportedSale {
        network: Network::Awin,
        external_id: id.clone(),
        order_id: None,
        status,
        commission_cents: cents(commission.amount?)?,
        sale_cents: transaction
            .sale_amount
            .as_ref()
            .and_then(|sale| sale.amount)
            .and_then(cents),
        currency,
        click_ref: transaction
            .click_refs
            .as_ref()
            .and_then(|refs| refs.click_ref.clone())
            .filter(|r| !r.trim().is_empty()),
        occurred_at: transaction
            .transaction_date
            .as_deref()
            .and_then(parse_time)
            .unwrap_or_else(now),
    };
    Some(Notice::Sale {
        event_key: format!("api/{id}/{}", status.as_str()),
        event: "transactions_api".into(),
        sale,
    })
}

/// `2026-11-20T10:00:00`, with or without fractions or an offset (read as UTC).
fn parse_time(text: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|at| at.naive_utc())
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").ok())
        .or_else(|| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").ok())
}

async fn digistore24(
    services: &Services,
    since: NaiveDateTime,
) -> Result<Digistore24Sync, KindError> {
    let Some(api) = &services.networks.digistore24 else {
        return Ok(Digistore24Sync::default());
    };
    let purchases = api
        .list_purchases(since)
        .await
        .map_err(|e| failed("Digistore24 listPurchases")(e.to_string()))?;
    let orders: BTreeSet<String> = purchases.iter().map(|p| p.order_id.clone()).collect();
    let orders: Vec<String> = orders.into_iter().collect();
    let known: BTreeSet<String> =
        Conversion::known_orders(&services.db, Network::Digistore24, &orders)
            .await
            .map_err(|e| failed("reading sales")(e.to_string()))?
            .into_iter()
            .collect();
    Ok(Digistore24Sync {
        purchases: purchases.len(),
        missing_orders: orders.into_iter().filter(|o| !known.contains(o)).collect(),
    })
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "monetization/sync_networks input",
        "type": "object",
        "additionalProperties": false,
        "required": [],
        "properties": {
            "days": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS, "default": DEFAULT_DAYS, "description": "How far back to read transactions and purchases"},
            "niche": {"type": "string", "minLength": 1, "description": "Store AWIN's joined programmes as offers of this niche"}
        }
    })
}

pub fn example_input() -> Value {
    json!({ "days": 31 })
}

#[cfg(test)]
mod tests;
