//! Who may do what: credentials (JWT, API keys), principals, permissions and password hashing.

pub mod api_key;
pub mod authenticator;
pub mod jwt;
pub mod password;
pub mod permission;
pub mod presented;
pub mod principal;
pub mod seal;
pub mod secret;
pub mod single_flight;

pub use authenticator::{AuthError, Authenticator};
pub use permission::Permission;
pub use presented::SocketCredential;
pub use principal::{Credential, Principal};
