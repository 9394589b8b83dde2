//! Access tokens: HS256 JWTs with `sub`, `permissions`, `iat`, `exp`, `iss`, `aud`, `jti`.
//! Validation pins the algorithm and requires `exp`, `iss`, `aud` and `sub`; `kid` is ignored.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub permissions: Vec<String>,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: Duration,
    leeway: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid token: {0}")]
pub struct TokenError(String);

impl JwtKeys {
    pub fn new(
        secret: &[u8],
        issuer: &str,
        audience: &str,
        ttl: Duration,
        leeway: Duration,
    ) -> JwtKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.validate_nbf = true;
        validation.leeway = leeway.as_secs();
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: issuer.into(),
            audience: audience.into(),
            ttl,
            leeway,
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn leeway(&self) -> Duration {
        self.leeway
    }

    /// Signs a token for `sub` valid from now for the configured lifetime. `iat` is at least
    /// `valid_after`, the user's session cut-off, so a login right after a password change
    /// (in the same second) is not refused.
    pub fn issue(
        &self,
        sub: &str,
        permissions: Vec<String>,
        valid_after: i64,
    ) -> Result<(String, Claims), TokenError> {
        let iat = chrono::Utc::now().timestamp().max(valid_after);
        let claims = Claims {
            sub: sub.into(),
            permissions,
            iat,
            exp: iat + i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX / 2),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|error| TokenError(error.to_string()))?;
        Ok((token, claims))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|error| TokenError(error.to_string()))
    }
}
