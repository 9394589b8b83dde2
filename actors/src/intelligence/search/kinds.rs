//! What the search index knows about a document: its type and its language, as stable wire strings.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The kind of thing a search hit points at; the string form is stored in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    ResearchNote,
    Article,
    Keyword,
    Product,
}

impl DocType {
    pub const ALL: [DocType; 4] = [
        DocType::ResearchNote,
        DocType::Article,
        DocType::Keyword,
        DocType::Product,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            DocType::ResearchNote => "research_note",
            DocType::Article => "article",
            DocType::Keyword => "keyword",
            DocType::Product => "product",
        }
    }
}

impl fmt::Display for DocType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name was not one of [`DocType::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown document type `{0}`")]
pub struct UnknownDocType(pub String);

impl FromStr for DocType {
    type Err = UnknownDocType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocType::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownDocType(s.to_owned()))
    }
}

/// The languages the index stems. Each has its own fields so BM25 statistics and stemming
/// never mix languages.
pub use empire_schema::types::Language;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_doc_type_round_trips_through_its_string() {
        for kind in DocType::ALL {
            assert_eq!(kind.as_str().parse::<DocType>().unwrap(), kind);
            assert_eq!(kind.to_string(), kind.as_str());
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, serde_json::json!(kind.as_str()));
        }
        assert_eq!(DocType::ResearchNote.as_str(), "research_note");
        assert_eq!(
            "researchNote".parse::<DocType>(),
            Err(UnknownDocType("researchNote".into()))
        );
    }
}
