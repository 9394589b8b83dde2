//! Keyword trends: over a period, which keywords rose and fell most, each with its series, from
//! two sources side by side. Imported monthly volumes: periods end at the newest imported month
//! (exports are historical), and history is monthly, so 7d and 30d compare the last two months
//! and 90d the last four. The sites' own analytics: the period's days ending today (see
//! [`super::site_trends`]).

use std::str::FromStr;

use empire_schema::Db;
use empire_schema::models::{Keyword, KeywordMonth};
use serde::Serialize;

use super::error::DataError;
use super::site_trends::{SiteTrend, SiteTrends, site_trends};
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

    /// Days in the window of the sites' own analytics, today included.
    fn days(self) -> usize {
        match self {
            Period::Week => 7,
            Period::Month => 30,
            Period::Quarter => 90,
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
    /// The same from the sites' own page views and clicks, per page keyword.
    pub site: SiteTrends,
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
    let (since_day, until_day, site) = site_trends(db, industry, period.days()).await?;
    let (rising, falling) = rank(site, |t: &SiteTrend| (t.change_pct, t.change), limit);
    let site = SiteTrends {
        since: since_day,
        until: until_day,
        rising,
        falling,
    };
    let Some(latest) = KeywordMonth::latest_month(db).await? else {
        return Ok(report(period, industry, None, Vec::new(), site, limit));
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
    Ok(report(period, industry, Some(latest), trends, site, limit))
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
    site: SiteTrends,
    limit: usize,
) -> TrendReport {
    let (rising, falling) = rank(trends, |t: &Trend| (t.change_pct, t.change), limit);
    TrendReport {
        period,
        industry: industry.map(str::to_owned),
        latest_month,
        rising,
        falling,
        site,
    }
}

/// Splits `items` by the sign of their change into the `limit` biggest rises and falls, each
/// ordered by relative change, then absolute change. `change` gives (percent, absolute).
fn rank<T>(items: Vec<T>, change: impl Fn(&T) -> (f64, i64), limit: usize) -> (Vec<T>, Vec<T>) {
    let (mut rising, mut falling): (Vec<T>, Vec<T>) =
        items.into_iter().partition(|item| change(item).1 > 0);
    rising.sort_by(|a, b| {
        let (a, b) = (change(a), change(b));
        b.0.total_cmp(&a.0).then(b.1.cmp(&a.1))
    });
    falling.sort_by(|a, b| {
        let (a, b) = (change(a), change(b));
        a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
    });
    rising.truncate(limit);
    falling.truncate(limit);
    (rising, falling)
}
