//! `/api/v1/users`: user management, for `admin.full` only.

pub mod create;
pub mod list;
pub mod update;
