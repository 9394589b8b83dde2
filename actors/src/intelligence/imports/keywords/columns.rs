//! Recognising the header of a keyword-tool export: which column holds what, and which tool wrote it.

use serde::{Deserialize, Serialize};

use super::super::money::CurrencyCode;
use super::super::month::YearMonth;

/// The tool whose export layout a header matches; informational, the columns decide the parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeywordFormat {
    Semrush,
    Ahrefs,
    KeywordPlanner,
    /// Plain `keyword,volume,cpc,difficulty` (any subset after the first two, any order).
    Plain,
}

impl KeywordFormat {
    pub const fn as_str(self) -> &'static str {
        match self {
            KeywordFormat::Semrush => "semrush",
            KeywordFormat::Ahrefs => "ahrefs",
            KeywordFormat::KeywordPlanner => "keyword_planner",
            KeywordFormat::Plain => "plain",
        }
    }
}

const KEYWORD: &[&str] = &["keyword", "keywords", "keyword phrase", "search term"];
const VOLUME: &[&str] = &["volume", "search volume", "suchvolumen"];
const PLANNER_VOLUME: &[&str] = &[
    "avg. monthly searches",
    "avg monthly searches",
    "average monthly searches",
    "durchschn. suchanfragen pro monat",
    "durchschnittl. suchanfragen pro monat",
];
const CPC: &[&str] = &["cpc"];
const PLANNER_BID: &[&str] = &[
    "top of page bid (high range)",
    "gebot für oben auf der seite (oberer bereich)",
];
const CURRENCY: &[&str] = &["currency", "währung"];
const DIFFICULTY: &[&str] = &[
    "keyword difficulty",
    "keyword difficulty index",
    "kd",
    "kd%",
    "kd %",
    "difficulty",
];
const TREND: &[&str] = &["trend"];
const MONTH_PREFIXES: &[&str] = &["searches:", "suchanfragen:"];
const AHREFS_ONLY: &[&str] = &[
    "kd",
    "parent keyword",
    "traffic potential",
    "global volume",
    "cps",
];
const SEMRUSH_ONLY: &[&str] = &[
    "keyword difficulty",
    "kd%",
    "kd %",
    "trend",
    "search volume",
    "competitive density",
];

/// Where each field sits in a recognised header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeywordColumns {
    pub format: KeywordFormat,
    pub keyword: usize,
    pub volume: usize,
    pub cpc: Option<usize>,
    /// A currency the CPC header names, as in Semrush's "CPC (USD)".
    pub cpc_currency: Option<CurrencyCode>,
    pub currency: Option<usize>,
    pub difficulty: Option<usize>,
    /// Semrush's twelve relative values, oldest first.
    pub trend: Option<usize>,
    /// Keyword Planner's "Searches: Jan 2025" columns.
    pub months: Vec<(usize, YearMonth)>,
}

impl KeywordColumns {
    /// The layout of `names`, if it has a keyword and a volume column.
    pub(crate) fn recognise(names: &[String]) -> Option<Self> {
        let names: Vec<String> = names.iter().map(|name| normalise(name)).collect();
        let find = |aliases: &[&str]| {
            names
                .iter()
                .position(|name| aliases.contains(&name.as_str()))
        };
        let planner_volume = find(PLANNER_VOLUME);
        let planner_bid = find(PLANNER_BID);
        let cpc_with_currency = names.iter().enumerate().find_map(|(index, name)| {
            let code = name.strip_prefix("cpc (")?.strip_suffix(')')?;
            Some((index, code.parse::<CurrencyCode>().ok()))
        });
        let months: Vec<(usize, YearMonth)> = names
            .iter()
            .enumerate()
            .filter_map(|(index, name)| {
                let rest = MONTH_PREFIXES
                    .iter()
                    .find_map(|prefix| name.strip_prefix(prefix))?;
                Some((index, YearMonth::parse_loose(rest)?))
            })
            .collect();
        let has_any = |aliases: &[&str]| names.iter().any(|name| aliases.contains(&name.as_str()));
        let format = if planner_volume.is_some() || planner_bid.is_some() || !months.is_empty() {
            KeywordFormat::KeywordPlanner
        } else if has_any(SEMRUSH_ONLY) || cpc_with_currency.is_some() {
            KeywordFormat::Semrush
        } else if has_any(AHREFS_ONLY) {
            KeywordFormat::Ahrefs
        } else {
            KeywordFormat::Plain
        };
        Some(Self {
            format,
            keyword: find(KEYWORD)?,
            volume: find(VOLUME).or(planner_volume)?,
            cpc: find(CPC)
                .or(cpc_with_currency.map(|(index, _)| index))
                .or(planner_bid),
            cpc_currency: cpc_with_currency.and_then(|(_, code)| code),
            currency: find(CURRENCY),
            difficulty: find(DIFFICULTY),
            trend: find(TREND),
            months,
        })
    }
}

/// Lowercase with single spaces, so "Search  Volume" and "search volume" are the same header.
fn normalise(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(header: &str) -> Option<KeywordColumns> {
        let names: Vec<String> = header.split(',').map(str::to_owned).collect();
        KeywordColumns::recognise(&names)
    }

    #[test]
    fn each_tool_is_recognised_case_insensitively() {
        let semrush =
            columns("Keyword,Intent,Volume,Trend,Keyword Difficulty,CPC (USD),Competitive Density")
                .unwrap();
        assert_eq!(semrush.format, KeywordFormat::Semrush);
        assert_eq!(
            (
                semrush.keyword,
                semrush.volume,
                semrush.cpc,
                semrush.difficulty,
                semrush.trend
            ),
            (0, 2, Some(5), Some(4), Some(3))
        );
        assert_eq!(semrush.cpc_currency, Some(CurrencyCode::USD));

        let ahrefs = columns("#,Keyword,Country,KD,Volume,CPC,CPS,Parent Keyword").unwrap();
        assert_eq!(ahrefs.format, KeywordFormat::Ahrefs);
        assert_eq!(
            (ahrefs.keyword, ahrefs.volume, ahrefs.cpc, ahrefs.difficulty),
            (1, 4, Some(5), Some(3))
        );

        let planner = columns("Keyword,Currency,Avg. monthly searches,Searches: Jan 2025,Searches: Feb 2025,Top of page bid (low range),Top of page bid (high range)").unwrap();
        assert_eq!(planner.format, KeywordFormat::KeywordPlanner);
        assert_eq!(
            (planner.volume, planner.cpc, planner.currency),
            (2, Some(6), Some(1))
        );
        assert_eq!(
            planner.months,
            [
                (3, YearMonth::new(2025, 1).unwrap()),
                (4, YearMonth::new(2025, 2).unwrap())
            ]
        );

        let plain = columns("KEYWORD, volume ,Cpc,difficulty").unwrap();
        assert_eq!(plain.format, KeywordFormat::Plain);
        assert_eq!((plain.cpc, plain.difficulty), (Some(2), Some(3)));
    }

    #[test]
    fn a_header_needs_a_keyword_and_a_volume() {
        assert!(columns("Keyword,CPC").is_none());
        assert!(columns("Volume,CPC").is_none());
        assert!(columns("Keyword Stats 2025-01-15 at 10_05_23").is_none());
        assert!(columns("keyword,volume").is_some());
    }
}
