//! Argon2id password hashing at the OWASP minimum (19 MiB, t=2, p=1), off the async executor.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};

pub const MIN_PASSWORD_LEN: usize = 12;
pub const MAX_PASSWORD_LEN: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be {MIN_PASSWORD_LEN} to {MAX_PASSWORD_LEN} characters long")]
    Length,
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

pub fn check_strength(password: &str) -> Result<(), PasswordError> {
    let len = password.chars().count();
    if (MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&len) {
        Ok(())
    } else {
        Err(PasswordError::Length)
    }
}

/// Hashes on a blocking thread: one hash costs tens of milliseconds of CPU.
pub async fn hash(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let hashed: Result<PasswordHash, _> = Argon2::default().hash_password(password.as_bytes());
        hashed
            .map(|hash| hash.to_string())
            .map_err(|error| PasswordError::Hashing(error.to_string()))
    })
    .await
    .map_err(|error| PasswordError::Hashing(error.to_string()))?
}

/// True when `password` matches the stored PHC string; false for a mismatch or a malformed hash.
pub async fn verify(password: String, stored_hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), stored_hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_at_owasp_parameters_and_verify() {
        let hashed = hash("correct horse battery".into()).await.unwrap();
        assert!(
            hashed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hashed}"
        );
        assert!(verify("correct horse battery".into(), hashed.clone()).await);
        assert!(!verify("wrong horse battery".into(), hashed).await);
        assert!(!verify("x".into(), "not a hash".into()).await);
    }
}
