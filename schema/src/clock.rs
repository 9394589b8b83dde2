//! Ids and timestamps as the store writes them.

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// Now in UTC, at the microsecond precision both backends keep.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A new time-ordered id (UUIDv7) as text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
