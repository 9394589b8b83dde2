//! The API gateway: login, tokens, API keys, permissions, errors, edge headers, OpenAPI.

mod api_keys;
mod errors;
mod jwt_attacks;
mod login;
mod openapi;
mod permission_matrix;
mod rate_limits;
mod users;
