//! Keyset pagination: newest first, the cursor is the id of the last row returned.
//! Ids are UUIDv7, so their text order is their creation order.

use serde::Serialize;

pub const MAX_PAGE_LIMIT: i64 = 200;
pub const DEFAULT_PAGE_LIMIT: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    limit: i64,
    cursor: Option<String>,
}

impl PageRequest {
    /// `limit` is clamped into 1..=MAX_PAGE_LIMIT; the HTTP layer rejects out-of-range values first.
    pub fn new(limit: i64, cursor: Option<String>) -> PageRequest {
        PageRequest {
            limit: limit.clamp(1, MAX_PAGE_LIMIT),
            cursor,
        }
    }

    pub fn first(limit: i64) -> PageRequest {
        PageRequest::new(limit, None)
    }

    pub fn limit(&self) -> i64 {
        self.limit
    }

    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// Rows to fetch: one more than the limit tells whether another page exists.
    pub(crate) fn fetch(&self) -> i64 {
        self.limit + 1
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest::first(DEFAULT_PAGE_LIMIT)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub(crate) fn from_rows(
        mut rows: Vec<T>,
        request: &PageRequest,
        id: impl Fn(&T) -> &str,
    ) -> Page<T> {
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|row| id(row).to_owned())
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }
}
