//! What can go wrong in the store-backed intelligence services.

use empire_schema::StoreError;

use crate::intelligence::graph::GraphError;
use crate::intelligence::imports::ImportError;
use crate::intelligence::search::SearchError;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A stored row could not be turned into what the service needs (a damaged row).
    #[error("stored row `{id}` is unreadable: {reason}")]
    BadRow { id: String, reason: String },
    /// A blocking job (index writes, file reading) died before answering.
    #[error("a background job stopped: {0}")]
    Join(String),
}

impl From<tokio::task::JoinError> for DataError {
    fn from(error: tokio::task::JoinError) -> Self {
        DataError::Join(error.to_string())
    }
}
