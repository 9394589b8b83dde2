//! `?limit=&cursor=` on list endpoints: limit 1..=200 (default 50), anything else is a 422.

use empire_schema::PageRequest;
use empire_schema::page::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT};
use serde::Deserialize;

use crate::error::ApiError;

/// Raw strings, so a non-number is reported against its field rather than as a parse failure.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// Items per page (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(max_length = 64)]
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        let limit = match &self.limit {
            None => DEFAULT_PAGE_LIMIT,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|limit| (1..=MAX_PAGE_LIMIT).contains(limit))
                .ok_or_else(|| {
                    ApiError::field(
                        "limit",
                        format!("must be an integer from 1 to {MAX_PAGE_LIMIT}"),
                    )
                })?,
        };
        let cursor = self.cursor.clone().filter(|cursor| !cursor.is_empty());
        if cursor.as_ref().is_some_and(|cursor| cursor.len() > 64) {
            return Err(ApiError::field(
                "cursor",
                "is not a cursor this API returned",
            ));
        }
        Ok(PageRequest::new(limit, cursor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(limit: &str) -> PageQuery {
        PageQuery {
            limit: Some(limit.into()),
            cursor: None,
        }
    }

    #[test]
    fn limits_outside_1_to_200_are_rejected() {
        for bad in ["0", "201", "-1", "ten", "1000000"] {
            assert!(query(bad).page().is_err(), "{bad}");
        }
        assert_eq!(query("200").page().unwrap().limit(), 200);
        assert_eq!(
            PageQuery::default().page().unwrap().limit(),
            DEFAULT_PAGE_LIMIT
        );
    }
}
