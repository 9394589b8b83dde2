//! An order-independent checksum of a table: each row is written in one canonical form whatever
//! the backend it came from, hashed (SHA-256, first 8 bytes), and the hashes are added (wrapping),
//! so two stores hold the same rows exactly when counts and sums match (short of a collision).

use chrono::NaiveDateTime;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::tables::{Kind, Table};

/// The canonical form of one row of `table`.
pub fn canonical(table: &Table, row: &[Value]) -> String {
    let mut out = String::new();
    for (column, value) in table.columns.iter().zip(row) {
        out.push_str(&canonical_value(column.kind, value));
        out.push('\u{1f}');
    }
    out
}

pub fn row_hash(table: &Table, row: &[Value]) -> u64 {
    let digest = Sha256::digest(canonical(table, row).as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

fn canonical_value(kind: Kind, value: &Value) -> String {
    if value.is_null() {
        return "\u{0}null".into();
    }
    match kind {
        Kind::Bool => match value {
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => (n.as_i64() != Some(0)).to_string(),
            Value::String(s) => matches!(s.as_str(), "t" | "true" | "1").to_string(),
            other => other.to_string(),
        },
        Kind::Integer => match value {
            Value::String(s) => s.parse::<i64>().map_or(s.clone(), |n| n.to_string()),
            other => other.as_i64().map_or(other.to_string(), |n| n.to_string()),
        },
        Kind::Float => match value {
            Value::String(s) => s.parse::<f64>().map_or(s.clone(), |f| format!("{f:?}")),
            other => other
                .as_f64()
                .map_or(other.to_string(), |f| format!("{f:?}")),
        },
        Kind::Timestamp => {
            let text = value.as_str().map_or(value.to_string(), str::to_owned);
            parse_timestamp(&text).map_or(text, |at| at.format("%Y-%m-%d %H:%M:%S%.6f").to_string())
        }
        Kind::Blob => value
            .as_str()
            .map_or(value.to_string(), str::to_ascii_lowercase),
        Kind::Text => value.as_str().map_or(value.to_string(), str::to_owned),
    }
}

fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::tables::Column;
    use serde_json::json;

    fn table() -> Table {
        let column = |name: &str, kind| Column {
            name: name.into(),
            kind,
            declared: String::new(),
        };
        Table {
            name: "t".into(),
            columns: vec![
                column("id", Kind::Text),
                column("on", Kind::Bool),
                column("at", Kind::Timestamp),
                column("w", Kind::Float),
                column("b", Kind::Blob),
                column("n", Kind::Integer),
            ],
            key: vec![0],
        }
    }

    #[test]
    fn one_row_read_from_either_backend_hashes_alike() {
        let t = table();
        let sqlite = json!(["a", 1, "2026-12-02 10:00:00", 40.0, "0a", 7]);
        let postgres = json!(["a", true, "2026-12-02 10:00:00.000000", 40, "0A", 7]);
        let (sqlite, postgres) = (sqlite.as_array().unwrap(), postgres.as_array().unwrap());
        assert_eq!(row_hash(&t, sqlite), row_hash(&t, postgres));
        let changed = json!(["a", 0, "2026-12-02 10:00:00", 40.0, "0a", 7]);
        assert_ne!(
            row_hash(&t, sqlite),
            row_hash(&t, changed.as_array().unwrap())
        );
        let null = json!(["a", 1, "2026-12-02 10:00:00", 40.0, null, 7]);
        let null_text = json!(["a", 1, "2026-12-02 10:00:00", 40.0, "null", 7]);
        assert_ne!(
            row_hash(&t, null.as_array().unwrap()),
            row_hash(&t, null_text.as_array().unwrap())
        );
    }
}
