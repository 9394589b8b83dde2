//! Which outbox rows a node may apply next. Ids only grow, but on PostgreSQL two transactions
//! can commit their ids out of order: a gap may be a row still being written, or one rolled back.
//! A gap is waited at while the row after it is younger than [`SETTLE`], then taken as a rollback.

use chrono::{NaiveDateTime, TimeDelta};
use empire_schema::models::OutboxEntry;

/// Longer than any writer of outbox rows holds its transaction open (one import batch).
pub(crate) const SETTLE: TimeDelta = TimeDelta::seconds(10);

/// The leading rows of `batch` (ids ascending, all after `after`) that are safe to apply now.
pub(crate) fn applicable(
    after: Option<i64>,
    batch: Vec<OutboxEntry>,
    now: NaiveDateTime,
) -> Vec<OutboxEntry> {
    let mut previous = after.unwrap_or(0);
    let mut ready = Vec::with_capacity(batch.len());
    for entry in batch {
        let gap = entry.id != previous + 1;
        if gap && now - entry.created_at < SETTLE {
            break;
        }
        previous = entry.id;
        ready.push(entry);
    }
    ready
}

#[cfg(test)]
mod tests {
    use empire_schema::Json;
    use empire_schema::types::{DocType, OutboxOp};
    use serde_json::Value;

    use super::*;

    fn entry(id: i64, created_at: NaiveDateTime) -> OutboxEntry {
        OutboxEntry {
            id,
            doc_id: format!("doc-{id}"),
            doc_type: DocType::Keyword,
            op: OutboxOp::Delete,
            payload: Json(Value::Null),
            created_at,
        }
    }

    #[test]
    fn stops_at_a_fresh_gap_and_passes_an_old_one() {
        let now = empire_schema::clock::now();
        let old = now - TimeDelta::seconds(60);
        let ids = |rows: Vec<OutboxEntry>| rows.iter().map(|e| e.id).collect::<Vec<_>>();
        let fresh = vec![entry(1, now), entry(2, now), entry(4, now)];
        assert_eq!(ids(applicable(None, fresh, now)), [1, 2]);
        let stale = vec![entry(1, old), entry(3, old), entry(4, now)];
        assert_eq!(ids(applicable(None, stale, now)), [1, 3, 4]);
        assert_eq!(
            ids(applicable(Some(7), vec![entry(9, now)], now)),
            [0i64; 0]
        );
    }
}
