//! Keyword trends from the sites' own analytics: each page's views (the beacon) and clicks
//! (`/go`) per day, summed per target keyword over the period's days ending today. A keyword
//! rises or falls by its activity (views + clicks) in the later half of the period against
//! the earlier half.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, Utc};
use empire_schema::Db;
use empire_schema::models::{PageClicks, PageKeyword, PageViews};
use serde::Serialize;

use super::error::DataError;
use crate::intelligence::nlp::Language;

/// Pages, and rows of daily views, read per report.
const MAX_PAGES: i64 = 20_000;
const MAX_VIEW_ROWS: i64 = 500_000;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SiteTrends {
    /// First day of the window, `YYYY-MM-DD` (UTC).
    pub since: String,
    /// Last day of the window (today, UTC).
    pub until: String,
    /// Biggest relative rise first.
    pub rising: Vec<SiteTrend>,
    /// Biggest relative fall first.
    pub falling: Vec<SiteTrend>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SiteTrend {
    /// The pages' target keyword, lower-cased.
    pub keyword: String,
    pub language: Language,
    /// The niche of the (first) site whose pages target it.
    pub niche: String,
    /// Pages targeting it, across sites.
    pub pages: usize,
    pub views: i64,
    pub clicks: i64,
    /// Views + clicks in the later half of the window minus the earlier half.
    pub change: i64,
    /// `change` relative to the earlier half, in percent (counted as at least 1).
    pub change_pct: f64,
    /// One point per day of the window, zeros included.
    pub series: Vec<DayPoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DayPoint {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub views: i64,
    pub clicks: i64,
}

/// Every keyword's trend over the `days` ending today whose activity changed (unranked).
pub async fn site_trends(
    db: &Db,
    industry: Option<&str>,
    days: usize,
) -> Result<(String, String, Vec<SiteTrend>), DataError> {
    let until = Utc::now().date_naive();
    let since = until - Duration::days(days.saturating_sub(1) as i64);
    let pages = PageKeyword::matching(db, industry, MAX_PAGES).await?;
    let day = since.format("%Y-%m-%d").to_string();
    let views = PageViews::since_day(db, &day, MAX_VIEW_ROWS).await?;
    let since_midnight = since.and_hms_opt(0, 0, 0).unwrap_or_default();
    let clicks = PageClicks::since(db, since_midnight).await?;
    let trends = tally(&pages, &views, &clicks, since, days)
        .into_values()
        .filter_map(|keyword| keyword.trend(days))
        .collect();
    Ok((day, until.format("%Y-%m-%d").to_string(), trends))
}

/// One keyword's running totals: its pages and its activity per day of the window.
struct Tally<'a> {
    first: &'a PageKeyword,
    pages: usize,
    days: Vec<(String, i64, i64)>,
}

impl Tally<'_> {
    fn trend(self, days: usize) -> Option<SiteTrend> {
        let half = days / 2;
        let activity = |range: &[(String, i64, i64)]| -> i64 {
            range.iter().map(|(_, views, clicks)| views + clicks).sum()
        };
        let earlier = activity(&self.days[..half]);
        let later = activity(&self.days[days - half..]);
        let change = later - earlier;
        if change == 0 {
            return None;
        }
        Some(SiteTrend {
            keyword: self.first.keyword.to_lowercase(),
            language: self.first.language,
            niche: self.first.niche.clone(),
            pages: self.pages,
            views: self.days.iter().map(|(_, views, _)| views).sum(),
            clicks: self.days.iter().map(|(_, _, clicks)| clicks).sum(),
            change,
            change_pct: (change as f64 / earlier.max(1) as f64 * 10_000.0).round() / 100.0,
            series: self
                .days
                .into_iter()
                .map(|(day, views, clicks)| DayPoint { day, views, clicks })
                .collect(),
        })
    }
}

/// Sums views and clicks per (keyword, language). Views are matched to the page of their site
/// whose slug is the path's last segment (`/best-shoes/`, `/sites/s/reviews/best-shoes/`).
fn tally<'a>(
    pages: &'a [PageKeyword],
    views: &[PageViews],
    clicks: &[PageClicks],
    since: NaiveDate,
    days: usize,
) -> BTreeMap<(String, Language), Tally<'a>> {
    let mut keywords: BTreeMap<(String, Language), Tally<'a>> = BTreeMap::new();
    let mut by_id: HashMap<&str, (String, Language)> = HashMap::new();
    let mut by_slug: HashMap<(&str, &str), (String, Language)> = HashMap::new();
    for page in pages {
        let key = (page.keyword.to_lowercase(), page.language);
        let tally = keywords.entry(key.clone()).or_insert_with(|| Tally {
            first: page,
            pages: 0,
            days: (0..days)
                .map(|n| {
                    let day = since + Duration::days(n as i64);
                    (day.format("%Y-%m-%d").to_string(), 0, 0)
                })
                .collect(),
        });
        tally.pages += 1;
        by_id.insert(&page.page_id, key.clone());
        by_slug.insert((&page.website_id, &page.slug), key);
    }
    let slot = |day: &str| -> Option<usize> {
        let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
        usize::try_from((day - since).num_days())
            .ok()
            .filter(|n| *n < days)
    };
    for row in views {
        let slug = row
            .path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        let key = by_slug.get(&(row.website_id.as_str(), slug));
        if let (Some(key), Some(n)) = (key, slot(&row.day))
            && let Some(tally) = keywords.get_mut(key)
        {
            tally.days[n].1 += row.views;
        }
    }
    for row in clicks {
        if let (Some(key), Some(n)) = (by_id.get(row.page_id.as_str()), slot(&row.day))
            && let Some(tally) = keywords.get_mut(key)
        {
            tally.days[n].2 += row.clicks;
        }
    }
    keywords
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: &str, site: &str, slug: &str, keyword: &str) -> PageKeyword {
        PageKeyword {
            page_id: id.into(),
            website_id: site.into(),
            slug: slug.into(),
            keyword: keyword.into(),
            language: Language::En,
            niche: "running".into(),
        }
    }

    fn views(site: &str, path: &str, day: &str, views: i64) -> PageViews {
        PageViews {
            website_id: site.into(),
            path: path.into(),
            day: day.into(),
            views,
        }
    }

    #[test]
    fn views_and_clicks_are_summed_per_keyword_and_halves_compared() {
        let since = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let pages = [
            page("p1", "s1", "best-shoes", "Best Shoes"),
            page("p2", "s2", "best-shoes", "best shoes"),
            page("p3", "s1", "trail", "trail shoes"),
        ];
        let rows = [
            // Earlier half of 4 days: 2 views; later half: 10 views and 3 clicks.
            views("s1", "/sites/one/best-shoes/", "2026-11-01", 2),
            views("s2", "/reviews/best-shoes/", "2026-11-04", 10),
            // Another site's slug, an unknown path, a day outside the window: not counted.
            views("s3", "/best-shoes/", "2026-11-04", 100),
            views("s1", "/nope/", "2026-11-04", 100),
            views("s1", "/best-shoes/", "2026-11-05", 100),
            views("s1", "/trail/", "2026-11-02", 4),
        ];
        let clicks = [PageClicks {
            page_id: "p2".into(),
            day: "2026-11-03".into(),
            clicks: 3,
        }];
        let tallies = tally(&pages, &rows, &clicks, since, 4);
        let trends: Vec<SiteTrend> = tallies.into_values().filter_map(|t| t.trend(4)).collect();
        assert_eq!(trends.len(), 2);
        let shoes = &trends[0];
        assert_eq!(
            (
                shoes.keyword.as_str(),
                shoes.pages,
                shoes.views,
                shoes.clicks
            ),
            ("best shoes", 2, 12, 3)
        );
        assert_eq!((shoes.change, shoes.change_pct), (11, 550.0));
        assert_eq!(shoes.series.len(), 4);
        assert_eq!(
            shoes.series[2],
            DayPoint {
                day: "2026-11-03".into(),
                views: 0,
                clicks: 3
            }
        );
        let trail = &trends[1];
        assert_eq!((trail.keyword.as_str(), trail.change), ("trail shoes", -4));
    }
}
