//! The idempotency key an imported row is upserted by, so importing the same file twice changes nothing.

use std::fmt;

use serde::Serialize;

/// A stable key naming what a row describes (a keyword in a language, a product of an
/// advertiser), not where it sits in the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ImportKey(String);

impl ImportKey {
    pub(crate) fn new(key: String) -> Self {
        Self(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ImportKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
