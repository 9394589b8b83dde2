//! `/api/v1/users`: user management, for `admin.full` only; creating and changing users also
//! needs a login token (`SessionPrincipal`), not an API key.

pub mod create;
pub mod list;
pub mod update;
