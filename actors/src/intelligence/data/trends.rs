//! Keyword trends from imported monthly volumes: over a period, which keywords rose and fell
//! most, each with its series. Periods end at the newest imported month (exports are historical),
//! and history is monthly, so 7d and 30d compare the last two months and 90d the last four.

use std::str::FromStr;

use empire_schema::Db;
use empire_schema::models::{Keyword, KeywordMonth};
use serde::Serialize;

use super::error::DataError;
use crate::intelligence::imports::YearMonth;
use crate::intelligence::nlp::Language;

/// Keywords read per report.
const MAX_KEYWORDS: i64 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub enum Period {
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
    #[serde(rename = "90d")]
    Quarter,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown period `{0}` (expected 7d, 30d or 90d)")]
pub struct UnknownPeriod(pub String);

impl FromStr for Period {
    type Err = UnknownPeriod;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "7d" => Ok(Period::Week),
            "30d" => Ok(Period::Month),
            "90d" => Ok(Period::Quarter),
            other => Err(UnknownPeriod(other.to_owned())),
        }
    }
}

impl Period {
    /// Months in the window, the newest included.
    fn months(self) -> usize {
        match self {
            Period::Week | Period::Month => 2,
            Period::Quarter => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrendReport {
    pub period: Period,
    pub industry: Option<String>,
    /// `YYYY-MM` of the newest imported volume; `None` when nothing is imported.
    pub latest_month: Option<String>,
    /// Biggest relative rise first.
    pub rising: Vec<Trend>,
    /// Biggest relative fall first.
    pub falling: Vec<Trend>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Trend {
    pub keyword_id: String,
    pub keyword: String,
    pub language: Language,
    pub niche: Option<String>,
    /// Monthly searches, last month of the window minus the first.
    pub change: i64,
    /// `change` relative to the first month, in percent (first month counted as at least 1).
    pub change_pct: f64,
    pub series: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Point {
    /// `YYYY-MM`.
    pub month: String,
    pub volume: i64,
}

/// Up to `limit` rising and `limit` falling keywords matching `industry` (a niche, or text in
/// the keyword) over `period`.
pub async fn trends(
    db: &Db,
    industry: Option<&str>,
    period: Period,
    limit: usize,
) -> Result<TrendReport, DataError> {
    let Some(latest) = KeywordMonth::latest_month(db).await? else {
        return Ok(report(period, industry, None, Vec::new(), limit));
    };
    let since = YearMonth::parse_loose(&latest)
        .map(|mut month| {
            for _ in 1..period.months() {
                month = month.previous().unwrap_or(month);
            }
            month.to_string()
        })
        .unwrap_or_else(|| latest.clone());
    let series = KeywordMonth::series(db, industry, &since, MAX_KEYWORDS).await?;
    let trends = series.into_iter().filter_map(trend).collect();
    Ok(report(period, industry, Some(latest), trends, limit))
}

fn trend((keyword, months): (Keyword, Vec<KeywordMonth>)) -> Option<Trend> {
    let (first, last) = (months.first()?.volume, months.last()?.volume);
    if months.len() < 2 || first == last {
        return None;
    }
    let change = last - first;
    Some(Trend {
        keyword_id: keyword.id,
        keyword: keyword.keyword,
        language: keyword.language,
        niche: keyword.niche,
        change,
        change_pct: (change as f64 / first.max(1) as f64 * 10_000.0).round() / 100.0,
        series: months
            .into_iter()
            .map(|m| Point {
                month: m.month,
                volume: m.volume,
            })
            .collect(),
    })
}

fn report(
    period: Period,
    industry: Option<&str>,
    latest_month: Option<String>,
    trends: Vec<Trend>,
    limit: usize,
) -> TrendReport {
    let (mut rising, mut falling): (Vec<Trend>, Vec<Trend>) =
        trends.into_iter().partition(|t| t.change > 0);
    rising.sort_by(|a, b| {
        b.change_pct
            .total_cmp(&a.change_pct)
            .then(b.change.cmp(&a.change))
    });
    falling.sort_by(|a, b| {
        a.change_pct
            .total_cmp(&b.change_pct)
            .then(a.change.cmp(&b.change))
    });
    rising.truncate(limit);
    falling.truncate(limit);
    TrendReport {
        period,
        industry: industry.map(str::to_owned),
        latest_month,
        rising,
        falling,
    }
}
