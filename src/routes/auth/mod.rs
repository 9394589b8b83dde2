//! `/api/v1/auth`: login, the current principal, logout, and API keys.

pub mod create_api_key;
pub mod list_api_keys;
pub mod login;
pub mod logout;
pub mod me;
pub mod revoke_api_key;
