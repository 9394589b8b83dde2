//! Cron expressions and time zones: parsing them at the edge and finding a schedule's ticks.
//! Ticks are found in the schedule's time zone (so `0 3 * * *` is 03:00 local across DST
//! changes) and stored in UTC.

use chrono::{NaiveDateTime, SubsecRound, TimeZone, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};

/// A parsed cron expression with the time zone its fields are read in.
#[derive(Debug, Clone)]
pub struct Timing {
    cron: Cron,
    zone: Tz,
}

/// 5 fields (`min hour dom month dow`), or 6 with seconds first; no year field.
pub fn parse_cron(text: &str) -> Result<Cron, String> {
    let fields = text.split_whitespace().count();
    if !(fields == 5 || fields == 6) {
        return Err(format!(
            "must have 5 fields (minute hour day month weekday) or 6 (seconds first), not {fields}"
        ));
    }
    CronParser::builder()
        .seconds(Seconds::Optional)
        .year(Year::Disallowed)
        .build()
        .parse(text)
        .map_err(|error| format!("is not a valid cron expression: {error}"))
}

/// An IANA time zone name (`Europe/Berlin`, `UTC`).
pub fn parse_timezone(text: &str) -> Result<Tz, String> {
    text.parse::<Tz>()
        .map_err(|_| format!("unknown time zone `{text}` (an IANA name such as Europe/Berlin)"))
}

impl Timing {
    pub fn new(cron: Cron, zone: Tz) -> Timing {
        Timing { cron, zone }
    }

    /// Parses a stored schedule's expression and zone.
    pub fn parse(cron: &str, zone: &str) -> Result<Timing, String> {
        Ok(Timing::new(parse_cron(cron)?, parse_timezone(zone)?))
    }

    /// The first tick strictly after `at` (UTC), if the expression ever matches again.
    pub fn next_after(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        let local = Utc.from_utc_datetime(&at).with_timezone(&self.zone);
        self.cron
            .find_next_occurrence(&local, false)
            .ok()
            .map(|tick| tick.naive_utc().trunc_subsecs(0))
    }

    /// The last tick at or before `at` (UTC).
    pub fn latest_until(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        let local = Utc.from_utc_datetime(&at).with_timezone(&self.zone);
        self.cron
            .find_previous_occurrence(&local, true)
            .ok()
            .map(|tick| tick.naive_utc().trunc_subsecs(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn five_or_six_fields() {
        assert!(parse_cron("*/5 * * * *").is_ok());
        assert!(parse_cron("*/1 * * * * *").is_ok());
        assert!(parse_cron("* * * *").is_err());
        assert!(parse_cron("0 0 0 * * * 2030").is_err());
        assert!(parse_cron("61 * * * *").is_err());
        assert!(parse_cron("not a cron").is_err());
    }

    #[test]
    fn seconds_and_minutes() {
        let every_second = Timing::parse("*/1 * * * * *", "UTC").unwrap();
        assert_eq!(
            every_second.next_after(at("2026-12-02 10:00:00")),
            Some(at("2026-12-02 10:00:01"))
        );
        let hourly = Timing::parse("0 * * * *", "UTC").unwrap();
        assert_eq!(
            hourly.next_after(at("2026-12-02 10:00:00")),
            Some(at("2026-12-02 11:00:00"))
        );
        assert_eq!(
            hourly.latest_until(at("2026-12-02 10:59:59")),
            Some(at("2026-12-02 10:00:00"))
        );
    }

    #[test]
    fn local_time_across_dst() {
        let berlin = Timing::parse("0 3 * * *", "Europe/Berlin").unwrap();
        // Winter: UTC+1; summer (from 29 March 2026): UTC+2.
        assert_eq!(
            berlin.next_after(at("2026-03-28 12:00:00")),
            Some(at("2026-03-29 01:00:00"))
        );
        assert_eq!(
            berlin.next_after(at("2026-03-27 12:00:00")),
            Some(at("2026-03-28 02:00:00"))
        );
        assert!(parse_timezone("Mars/Olympus").is_err());
    }
}
