//! Analytics: page views, clicks, sales and the LLM cost of making the sites, per website
//! (`GET /api/v1/websites/{id}/analytics`) and across the portfolio. Money is integer
//! micro-EUR (like the LLM ledger); revenue is the commission of pending and approved sales in
//! EUR, and sales in other currencies are listed beside it, never converted.

pub mod portfolio;
pub mod website;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime, Utc};
use empire_schema::models::analytics::Metric;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// Micro-EUR per cent.
const MICROS_PER_CENT: i64 = 10_000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PeriodQuery {
    /// `7d` (default), `30d` or `90d`: today (UTC) and the days before it.
    pub period: Option<String>,
}

/// The period's name and its first instant (midnight UTC of its first day).
pub fn period(query: PeriodQuery) -> Result<(String, NaiveDateTime), ApiError> {
    let period = query.period.unwrap_or_else(|| "7d".into());
    let days = match period.as_str() {
        "7d" => 7,
        "30d" => 30,
        "90d" => 90,
        _ => return Err(ApiError::field("period", "must be 7d, 30d or 90d")),
    };
    let first_day = Utc::now().date_naive() - Duration::days(days - 1);
    Ok((period, first_day.and_time(chrono::NaiveTime::MIN)))
}

/// Totals of one site, day, page or offer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Totals {
    pub views: i64,
    pub clicks: i64,
    /// Clicks per view; null without views.
    pub ctr: Option<f64>,
    /// Pending and approved sales (all currencies).
    pub conversions: i64,
    /// Commission of the EUR sales.
    pub revenue_micro_eur: i64,
    /// Revenue per click; null without clicks.
    pub epc_micro_eur: Option<i64>,
    pub llm_cost_micro_eur: i64,
    /// Revenue minus LLM cost.
    pub profit_micro_eur: i64,
}

impl Totals {
    fn finish(mut self) -> Totals {
        self.ctr = (self.views > 0).then(|| self.clicks as f64 / self.views as f64);
        self.epc_micro_eur = (self.clicks > 0).then(|| self.revenue_micro_eur / self.clicks);
        self.profit_micro_eur = self.revenue_micro_eur - self.llm_cost_micro_eur;
        self
    }
}

/// Rollups merged by key: which field each source fills.
#[derive(Default)]
pub struct Merged(BTreeMap<String, Totals>);

impl Merged {
    pub fn views(mut self, rows: Vec<Metric>) -> Self {
        for row in rows {
            self.0.entry(row.key).or_default().views += row.count;
        }
        self
    }
    pub fn clicks(mut self, rows: Vec<Metric>) -> Self {
        for row in rows {
            self.0.entry(row.key).or_default().clicks += row.count;
        }
        self
    }
    /// All-currency sale counts.
    pub fn sales(mut self, rows: Vec<Metric>) -> Self {
        for row in rows {
            self.0.entry(row.key).or_default().conversions += row.count;
        }
        self
    }
    /// EUR commission (cents).
    pub fn revenue(mut self, rows: Vec<Metric>) -> Self {
        for row in rows {
            self.0.entry(row.key).or_default().revenue_micro_eur +=
                row.total.saturating_mul(MICROS_PER_CENT);
        }
        self
    }
    pub fn llm_cost(mut self, rows: Vec<Metric>) -> Self {
        for row in rows {
            self.0.entry(row.key).or_default().llm_cost_micro_eur += row.total;
        }
        self
    }
    pub fn finish(self) -> BTreeMap<String, Totals> {
        self.0
            .into_iter()
            .map(|(key, totals)| (key, totals.finish()))
            .collect()
    }
}

/// The sum of every group.
pub fn total<'a>(groups: impl IntoIterator<Item = &'a Totals>) -> Totals {
    groups
        .into_iter()
        .fold(Totals::default(), |sum, t| Totals {
            views: sum.views + t.views,
            clicks: sum.clicks + t.clicks,
            conversions: sum.conversions + t.conversions,
            revenue_micro_eur: sum.revenue_micro_eur + t.revenue_micro_eur,
            llm_cost_micro_eur: sum.llm_cost_micro_eur + t.llm_cost_micro_eur,
            ..Totals::default()
        })
        .finish()
}

/// Sales in a currency other than EUR (not in revenue).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OtherCurrency {
    pub currency: String,
    pub conversions: i64,
    pub commission_cents: i64,
}

pub fn other_currencies(rows: Vec<Metric>) -> Vec<OtherCurrency> {
    rows.into_iter()
        .filter(|row| row.key != "EUR")
        .map(|row| OtherCurrency {
            currency: row.key,
            conversions: row.count,
            commission_cents: row.total,
        })
        .collect()
}
