//! Timestamps in response bodies, written exactly as chrono's `Serialize` writes them (RFC 3339
//! with `Z`, the fraction in 0, 3, 6 or 9 digits) but without going through `fmt`, which cost
//! 6 % of a 50-row list's CPU. Fields keep their `DateTime<Utc>` type (and their OpenAPI schema)
//! and say `#[serde(serialize_with = "utc::write")]`, or `utc::write_maybe` when optional.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Serialize, Serializer};

/// Longest form: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`.
const LONGEST: usize = 30;

pub fn write<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut text = [0u8; LONGEST];
    match format(at, &mut text) {
        Some(len) => serializer.serialize_str(std::str::from_utf8(&text[..len]).unwrap_or("")),
        None => at.serialize(serializer),
    }
}

#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`
pub fn write_maybe<S: Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => write(at, serializer),
        None => serializer.serialize_none(),
    }
}

/// Writes `at` into `text` and returns its length, or `None` for years chrono writes with a
/// sign (before 0 or after 9999), which are left to chrono.
fn format(at: &DateTime<Utc>, text: &mut [u8; LONGEST]) -> Option<usize> {
    let year = u32::try_from(at.year()).ok().filter(|year| *year <= 9999)?;
    // A leap second is second 59 with a fraction of a second or more; chrono writes it as 60.
    let (second, nanos) = match at.nanosecond() {
        nanos if nanos >= 1_000_000_000 => (at.second() + 1, nanos - 1_000_000_000),
        nanos => (at.second(), nanos),
    };
    digits(&mut text[0..4], year);
    text[4] = b'-';
    digits(&mut text[5..7], at.month());
    text[7] = b'-';
    digits(&mut text[8..10], at.day());
    text[10] = b'T';
    digits(&mut text[11..13], at.hour());
    text[13] = b':';
    digits(&mut text[14..16], at.minute());
    text[16] = b':';
    digits(&mut text[17..19], second);
    let mut len = 19;
    let fraction = match nanos {
        0 => None,
        nanos if nanos % 1_000_000 == 0 => Some((nanos / 1_000_000, 3)),
        nanos if nanos % 1_000 == 0 => Some((nanos / 1_000, 6)),
        nanos => Some((nanos, 9)),
    };
    if let Some((value, width)) = fraction {
        text[len] = b'.';
        digits(&mut text[len + 1..len + 1 + width], value);
        len += 1 + width;
    }
    text[len] = b'Z';
    Some(len + 1)
}

/// `value`'s last `out.len()` decimal digits, zero-padded.
fn digits(out: &mut [u8], mut value: u32) {
    for digit in out.iter_mut().rev() {
        *digit = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};
    use proptest::prelude::*;

    use super::*;

    #[derive(Serialize)]
    struct Ours(#[serde(serialize_with = "write")] DateTime<Utc>);

    fn same_as_chrono(at: DateTime<Utc>) {
        assert_eq!(
            serde_json::to_string(&Ours(at)).unwrap(),
            serde_json::to_string(&at).unwrap(),
            "{at:?}"
        );
    }

    #[test]
    fn every_fraction_width_a_leap_second_and_far_years_read_as_chrono_writes_them() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        for nanos in [
            0,
            5_000_000,
            120_000,
            123_456_789,
            999_999_999,
            1_000_000_000,
            1_250_000_000,
        ] {
            let at = day.and_hms_nano_opt(23, 59, 59, nanos).unwrap();
            same_as_chrono(Utc.from_utc_datetime(&at));
        }
        for year in [-1, 0, 1, 999, 9999, 10_000, 262_000] {
            let at = NaiveDate::from_ymd_opt(year, 1, 2)
                .unwrap()
                .and_hms_opt(3, 4, 5)
                .unwrap();
            same_as_chrono(Utc.from_utc_datetime(&at));
        }
    }

    #[test]
    fn none_is_null() {
        #[derive(Serialize)]
        struct Maybe(#[serde(serialize_with = "write_maybe")] Option<DateTime<Utc>>);
        assert_eq!(serde_json::to_string(&Maybe(None)).unwrap(), "null");
    }

    proptest! {
        #[test]
        fn any_instant_reads_as_chrono_writes_it(seconds in -1_000_000_000_000i64..1_000_000_000_000, nanos in 0u32..1_000_000_000, round in 0usize..4) {
            let nanos = [nanos, nanos / 1_000 * 1_000, nanos / 1_000_000 * 1_000_000, 0][round];
            if let Some(at) = DateTime::from_timestamp(seconds, nanos) {
                same_as_chrono(at);
            }
        }
    }
}
