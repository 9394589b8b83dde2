//! Who may do what: permissions and password hashing.

pub mod password;
pub mod permission;

pub use permission::Permission;
