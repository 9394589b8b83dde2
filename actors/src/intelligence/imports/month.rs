//! Calendar months for keyword trends: `YYYY-MM`, and the "Jan 2025" of Keyword Planner headers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A calendar month; its string form is `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: u16,
    month: u8,
}

/// English and German month abbreviations, January first.
const MONTHS: [[&str; 2]; 12] = [
    ["jan", "jan"],
    ["feb", "feb"],
    ["mar", "mär"],
    ["apr", "apr"],
    ["may", "mai"],
    ["jun", "jun"],
    ["jul", "jul"],
    ["aug", "aug"],
    ["sep", "sep"],
    ["oct", "okt"],
    ["nov", "nov"],
    ["dec", "dez"],
];

impl YearMonth {
    /// `None` unless `month` is 1 to 12 and `year` 1000 to 9999.
    pub fn new(year: u16, month: u8) -> Option<Self> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    /// The month before this one.
    pub fn previous(self) -> Option<Self> {
        match self.month {
            1 => Self::new(self.year.checked_sub(1)?, 12),
            month => Self::new(self.year, month - 1),
        }
    }

    /// Reads a month written as "Jan 2025", "January 2025", "Mär. 2025" or "2025-01".
    pub fn parse_loose(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Ok(month) = text.parse() {
            return Some(month);
        }
        let (name, year) = text.rsplit_once(char::is_whitespace)?;
        let name = name.trim().trim_end_matches('.').to_lowercase();
        let prefix: String = name.chars().take(3).collect();
        let index = MONTHS
            .iter()
            .position(|names| names.contains(&prefix.as_str()))?;
        let month = u8::try_from(index + 1).ok()?;
        Self::new(year.parse().ok()?, month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Not a `YYYY-MM` month.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a month `{0}` (expected YYYY-MM)")]
pub struct BadMonth(pub String);

impl FromStr for YearMonth {
    type Err = BadMonth;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadMonth(s.to_owned());
        let (year, month) = s.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(bad());
        }
        let year = year.parse().map_err(|_| bad())?;
        let month = month.parse().map_err(|_| bad())?;
        Self::new(year, month).ok_or_else(bad)
    }
}

impl TryFrom<String> for YearMonth {
    type Error = BadMonth;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<YearMonth> for String {
    fn from(month: YearMonth) -> Self {
        month.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_round_trip_as_yyyy_mm() {
        let month = YearMonth::new(2025, 3).unwrap();
        assert_eq!(month.to_string(), "2025-03");
        assert_eq!("2025-03".parse::<YearMonth>().unwrap(), month);
        assert_eq!(serde_json::to_string(&month).unwrap(), "\"2025-03\"");
        for bad in ["2025-13", "2025-3", "25-03", "2025/03", "", "2025-00"] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
    }

    #[test]
    fn previous_crosses_years() {
        let january = YearMonth::new(2025, 1).unwrap();
        assert_eq!(january.previous(), YearMonth::new(2024, 12));
        assert_eq!(
            YearMonth::new(2025, 7).unwrap().previous(),
            YearMonth::new(2025, 6)
        );
    }

    #[test]
    fn header_months_in_english_and_german() {
        let cases = [
            ("Jan 2025", (2025, 1)),
            ("December 2024", (2024, 12)),
            ("Mär. 2025", (2025, 3)),
            ("okt 2024", (2024, 10)),
            ("2023-05", (2023, 5)),
        ];
        for (text, (year, month)) in cases {
            assert_eq!(
                YearMonth::parse_loose(text),
                YearMonth::new(year, month),
                "{text}"
            );
        }
        assert_eq!(YearMonth::parse_loose("Foo 2025"), None);
        assert_eq!(YearMonth::parse_loose("Jan"), None);
    }
}
