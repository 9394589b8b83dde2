//! Money in imported files: amounts as integer cents from the many ways tools write them
//! ("1.23", "1,23", "$1.23", "€1,23", "1.234,56 EUR"), and ISO 4217 currency codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency code such as `EUR`: three ASCII uppercase letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode([u8; 3]);

impl CurrencyCode {
    pub const EUR: CurrencyCode = CurrencyCode(*b"EUR");
    pub const USD: CurrencyCode = CurrencyCode(*b"USD");
    pub const GBP: CurrencyCode = CurrencyCode(*b"GBP");

    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII letters, so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The code a currency symbol stands for, for the symbols tools put in front of amounts.
    pub fn from_symbol(symbol: char) -> Option<CurrencyCode> {
        match symbol {
            '€' => Some(CurrencyCode::EUR),
            '$' => Some(CurrencyCode::USD),
            '£' => Some(CurrencyCode::GBP),
            _ => None,
        }
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Not three ASCII letters, nor €, $ or £.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown currency format `{0}` (expected an ISO 4217 code such as EUR)")]
pub struct UnknownCurrency(pub String);

impl FromStr for CurrencyCode {
    type Err = UnknownCurrency;

    /// Accepts `eur`, `EUR` or a symbol (€, $, £).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let mut chars = trimmed.chars();
        if let (Some(symbol), None) = (chars.next(), chars.next())
            && let Some(code) = CurrencyCode::from_symbol(symbol)
        {
            return Ok(code);
        }
        match trimmed.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_alphabetic) => Ok(CurrencyCode([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(UnknownCurrency(s.to_owned())),
        }
    }
}

impl TryFrom<String> for CurrencyCode {
    type Error = UnknownCurrency;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<CurrencyCode> for String {
    fn from(code: CurrencyCode) -> Self {
        code.as_str().to_owned()
    }
}

/// An amount as written in a file: integer cents, and the currency if the text named one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    pub cents: u64,
    pub currency: Option<CurrencyCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("negative amount `{0}`")]
    Negative(String),
    #[error("not an amount: `{0}`")]
    NotAnAmount(String),
    #[error("amount too large: `{0}`")]
    TooLarge(String),
    #[error("two currencies in `{0}`")]
    TwoCurrencies(String),
}

/// Parses an amount into cents. A symbol or ISO code may come before or after the number;
/// spaces and apostrophes group digits. With both `.` and `,` present the last one is the decimal
/// separator; with one of them once, it is a thousands separator only when exactly three digits
/// follow a non-zero group of one to three ("1,234" but "0,123" and "1,23"), and repeated it always
/// is ("1.234.567"). Fractions beyond cents round half up.
pub fn parse_amount(text: &str) -> Result<Amount, MoneyError> {
    let not_an_amount = || MoneyError::NotAnAmount(text.to_owned());
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'' && *c != '\u{2019}')
        .collect();
    let (currency, number) =
        split_currency(&compact).ok_or_else(|| MoneyError::TwoCurrencies(text.to_owned()))?;
    if number.starts_with('-') || number.ends_with('-') {
        return Err(MoneyError::Negative(text.to_owned()));
    }
    let number = number.strip_prefix('+').unwrap_or(number);
    if number.is_empty()
        || !number
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(not_an_amount());
    }
    let (whole, fraction) = split_decimal(number).ok_or_else(not_an_amount)?;
    let cents = to_cents(&whole, fraction).ok_or_else(|| MoneyError::TooLarge(text.to_owned()))?;
    Ok(Amount { cents, currency })
}

/// Splits a leading or trailing symbol or three-letter code off; `None` if both disagree.
fn split_currency(text: &str) -> Option<(Option<CurrencyCode>, &str)> {
    let mut currency = None;
    let mut rest = text;
    if let Some(first) = rest.chars().next()
        && let Some(code) = CurrencyCode::from_symbol(first)
    {
        currency = Some(code);
        rest = &rest[first.len_utf8()..];
    } else if rest.len() > 3
        && rest.is_char_boundary(3)
        && rest[..3].chars().all(|c| c.is_ascii_alphabetic())
    {
        currency = rest[..3].parse().ok();
        rest = &rest[3..];
    }
    let mut trailing = None;
    if let Some(last) = rest.chars().last()
        && let Some(code) = CurrencyCode::from_symbol(last)
    {
        trailing = Some(code);
        rest = &rest[..rest.len() - last.len_utf8()];
    } else if rest.len() > 3
        && rest.is_char_boundary(rest.len() - 3)
        && rest[rest.len() - 3..]
            .chars()
            .all(|c| c.is_ascii_alphabetic())
    {
        trailing = rest[rest.len() - 3..].parse().ok();
        rest = &rest[..rest.len() - 3];
    }
    match (currency, trailing) {
        (Some(a), Some(b)) if a != b => None,
        (a, b) => Some((a.or(b), rest)),
    }
}

/// The whole-number digits and the fraction digits, separators resolved; `None` if malformed.
fn split_decimal(number: &str) -> Option<(String, &str)> {
    let last_dot = number.rfind('.');
    let last_comma = number.rfind(',');
    let decimal = match (last_dot, last_comma) {
        (Some(dot), Some(comma)) => Some(dot.max(comma)),
        (Some(at), None) | (None, Some(at)) => {
            let separator = &number[at..=at];
            let repeated = number.matches(separator).count() > 1;
            let head = &number[..at];
            let grouping = number.len() - at - 1 == 3
                && (1..=3).contains(&head.len())
                && !head.starts_with('0');
            (!repeated && !grouping).then_some(at)
        }
        (None, None) => None,
    };
    let (whole, fraction) = match decimal {
        Some(at) => (&number[..at], &number[at + 1..]),
        None => (number, ""),
    };
    if fraction.contains(['.', ',']) || !groups_are_thousands(whole) {
        return None;
    }
    let digits: String = whole.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() && fraction.is_empty() {
        return None;
    }
    Some((digits, fraction))
}

/// "1,234,567" and "1234" are fine; "1,23,4" or "1.234,5,6" are not.
fn groups_are_thousands(whole: &str) -> bool {
    let mut groups = whole.split(['.', ',']);
    let first_ok = groups
        .next()
        .is_some_and(|first| !first.is_empty() || !whole.contains(['.', ',']));
    first_ok && groups.all(|group| group.len() == 3)
}

fn to_cents(whole: &str, fraction: &str) -> Option<u64> {
    let units: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut digits = fraction.bytes().map(|b| u64::from(b - b'0'));
    let tenths = digits.next().unwrap_or(0);
    let hundredths = digits.next().unwrap_or(0);
    let round_up = digits.next().is_some_and(|thousandths| thousandths >= 5);
    units
        .checked_mul(100)?
        .checked_add(tenths * 10 + hundredths + u64::from(round_up))
}

#[cfg(test)]
mod tests;
