//! `/api/v1/users`: user management, for `admin.full` only; creating and changing users also
//! needs a login token, not an API key (`Access::SessionWith` in the route table).

pub mod create;
pub mod list;
pub mod update;
