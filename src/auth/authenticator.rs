//! Turns the credentials of a request into a `Principal`: a JWT (signature, claims, revocation)
//! or an API key (checksum first, then a short-lived cache entry, then the store).
//! Users' current permissions are read on every request through the same short cache,
//! so a demotion or a revocation reaches every node within `cache_ttl`. While the shared
//! cache fails, each node caches in process instead (same TTL), so a slow Redis does not send
//! every request to the database and through the `rate_limit.key_lookup` gate.

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::HeaderMap;
use chrono::Utc;
use empire_schema::Db;
use empire_schema::StoreError;
use empire_schema::cache::{Cache, Space};
use empire_schema::models::{ApiKey, User};
use serde::{Deserialize, Serialize};

use super::jwt::{Claims, JwtKeys};
use super::presented::credential;
use super::principal::{Credential, Principal};
use super::seal::Seal;
use super::single_flight::{Flight, Flights, Turn};
use super::{Permission, api_key};
use crate::extract::ClientIp;
use crate::ratelimit::{Decision, RateLimiter};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("{0}")]
    Invalid(String),
    #[error("the credential store is unavailable")]
    Unavailable,
    /// Too many unknown API keys from this address: refused before the database is asked.
    #[error("too many API-key lookups from this address")]
    Throttled(Decision),
}

#[derive(Clone)]
pub struct Authenticator {
    jwt: Arc<JwtKeys>,
    /// Authenticates cached grants and key records (see `seal`).
    seal: Arc<Seal>,
    db: Db,
    cache_ttl: Duration,
    /// Reaches the shared cache through the rate limiter's breaker; spends `rate_limit.key_lookup` before an API key is looked up in the database.
    limiter: RateLimiter,
    /// Concurrent cache misses of one key wait for a single lookup.
    flights: Flights,
}

/// A credential found in the cache, or the lead of its lookup in the store.
enum Lookup<T> {
    Cached(T),
    Lead(Flight),
}

/// What is cached of a user: enough to authorise, nothing secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Grant {
    email: String,
    permissions: Vec<Permission>,
    /// Login tokens issued before this Unix second are refused.
    #[serde(default)]
    valid_after: i64,
}

/// What is cached of an API key: its hash (never the key), scopes and validity.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeyRecord {
    id: String,
    user_id: String,
    key_hash: String,
    scopes: Vec<Permission>,
    expires_at: Option<i64>,
    revoked: bool,
}

impl Authenticator {
    pub fn new(
        jwt: Arc<JwtKeys>,
        seal: Seal,
        db: Db,
        cache_ttl: Duration,
        limiter: RateLimiter,
    ) -> Authenticator {
        Authenticator {
            jwt,
            seal: Arc::new(seal),
            db,
            cache_ttl,
            limiter,
            flights: Flights::default(),
        }
    }

    pub fn jwt(&self) -> &JwtKeys {
        &self.jwt
    }

    /// `Ok(None)` when the request carries no credentials at all.
    pub async fn authenticate(
        &self,
        headers: &HeaderMap,
        client: &ClientIp,
    ) -> Result<Option<Principal>, AuthError> {
        match credential(headers)? {
            Some(credential) => self
                .authenticate_credential(&credential, client)
                .await
                .map(Some),
            None => Ok(None),
        }
    }

    /// A JWT or an API key given outside the headers (a browser's WebSocket `token` parameter).
    pub async fn authenticate_credential(
        &self,
        credential: &str,
        client: &ClientIp,
    ) -> Result<Principal, AuthError> {
        if credential.starts_with(api_key::KEY_PREFIX) {
            self.verify_api_key(credential, Some(client)).await
        } else {
            self.verify_jwt(credential).await
        }
    }

    /// Checks again a credential that opened a socket: the same checks through the same cache,
    /// but an uncached key record costs nothing from `rate_limit.key_lookup` (that limit stops
    /// guessed keys; this one matched once, and many sockets re-check it).
    pub async fn recheck(&self, credential: &str) -> Result<Principal, AuthError> {
        if credential.starts_with(api_key::KEY_PREFIX) {
            self.verify_api_key(credential, None).await
        } else {
            self.verify_jwt(credential).await
        }
    }

    async fn verify_jwt(&self, token: &str) -> Result<Principal, AuthError> {
        let claims: Claims = self
            .jwt
            .verify(token)
            .map_err(|error| AuthError::Invalid(error.to_string()))?;
        if self.is_revoked(&claims.jti).await {
            return Err(AuthError::Invalid("token has been revoked".into()));
        }
        let grant = self.grant(&claims.sub).await?;
        if claims.iat < grant.valid_after {
            return Err(AuthError::Invalid(
                "the session ended: the password or permissions changed".into(),
            ));
        }
        Ok(Principal {
            user_id: claims.sub,
            email: grant.email,
            permissions: grant.permissions,
            credential: Credential::Jwt {
                jti: claims.jti,
                expires_at: claims.exp,
            },
        })
    }

    /// `client`: whose `rate_limit.key_lookup` bucket an uncached lookup spends (none: free).
    async fn verify_api_key(
        &self,
        key: &str,
        client: Option<&ClientIp>,
    ) -> Result<Principal, AuthError> {
        let prefix = api_key::parse(key).map_err(|error| AuthError::Invalid(error.to_string()))?;
        let (record, fresh) = self.key_record(&prefix, client).await?;
        let Some(record) = record.filter(|record| api_key::matches(key, &record.key_hash)) else {
            return Err(AuthError::Invalid("unknown API key".into()));
        };
        if fresh {
            // Only once the key is proven, and at most once per cache period per node.
            if let Err(error) = ApiKey::touch_last_used(&self.db, &record.id).await {
                tracing::warn!(%error, "cannot record API key use");
            }
        }
        if record.revoked {
            return Err(AuthError::Invalid("API key has been revoked".into()));
        }
        if record
            .expires_at
            .is_some_and(|at| at <= Utc::now().timestamp())
        {
            return Err(AuthError::Invalid("API key has expired".into()));
        }
        let grant = self.grant(&record.user_id).await?;
        let permissions = Permission::narrow(&grant.permissions, &record.scopes);
        Ok(Principal {
            user_id: record.user_id,
            email: grant.email,
            permissions,
            credential: Credential::ApiKey {
                id: record.id,
                prefix,
            },
        })
    }

    /// Logout: the token's id is refused until the token would have expired anyway, leeway
    /// included. `Unavailable` when the revocation could not be stored (the caller answers 503
    /// rather than pretend the token is dead).
    pub async fn revoke_token(&self, jti: &str, expires_at: i64) -> Result<(), AuthError> {
        let leeway = i64::try_from(self.jwt.leeway().as_secs()).unwrap_or(0);
        let remaining = u64::try_from(expires_at + leeway - Utc::now().timestamp())
            .unwrap_or(0)
            .max(1);
        let key = revoked_key(jti);
        let stored = self
            .limiter
            .on_shared("auth_revoke", async |cache: &Cache| {
                cache
                    .set(
                        Space::Revocations,
                        &key,
                        "1",
                        Duration::from_secs(remaining),
                    )
                    .await
            })
            .await;
        stored.ok_or_else(|| {
            tracing::error!("cannot record a token revocation");
            AuthError::Unavailable
        })
    }

    /// Drops cached copies after a key is revoked or a user changed, so this node sees it at once.
    pub async fn forget_key(&self, prefix: &str) {
        self.forget(&key_cache_key(prefix)).await;
    }

    pub async fn forget_user(&self, user_id: &str) {
        self.forget(&grant_key(user_id)).await;
    }

    async fn forget(&self, key: &str) {
        self.limiter
            .on_shared_and_local("auth_forget", async |cache: &Cache| {
                cache.delete(Space::Credentials, key).await
            })
            .await;
    }

    async fn is_revoked(&self, jti: &str) -> bool {
        let key = revoked_key(jti);
        let found = self
            .limiter
            .on_shared("auth_revoked", async |cache: &Cache| {
                cache.get(Space::Revocations, &key).await
            })
            .await;
        match found {
            Some(found) => found.is_some(),
            None => {
                // The revocation list lives in the cache; without it, tokens stay valid until
                // they expire rather than locking every user out.
                metrics::counter!("auth_revocation_check_errors_total").increment(1);
                false
            }
        }
    }

    async fn grant(&self, user_id: &str) -> Result<Grant, AuthError> {
        let cache_key = grant_key(user_id);
        let mut flight = match self.cached_or_lead::<Grant>(&cache_key).await? {
            Lookup::Cached(grant) => return Ok(grant),
            Lookup::Lead(flight) => flight,
        };
        let user = match User::get(&self.db, user_id).await {
            Ok(user) => user,
            Err(StoreError::NotFound) => {
                return Err(AuthError::Invalid("the user no longer exists".into()));
            }
            Err(error) => {
                flight.failed();
                return Err(store_unavailable(error));
            }
        };
        let grant = Grant {
            valid_after: user.tokens_valid_after,
            email: user.email,
            permissions: user
                .permissions
                .0
                .iter()
                .filter_map(|p| p.parse().ok())
                .collect(),
        };
        self.store(&cache_key, &grant).await;
        Ok(grant)
    }

    /// The record of the key with this prefix (`None`: no such key, remembered briefly too),
    /// and whether it came from the database rather than the cache.
    async fn key_record(
        &self,
        prefix: &str,
        client: Option<&ClientIp>,
    ) -> Result<(Option<KeyRecord>, bool), AuthError> {
        let cache_key = key_cache_key(prefix);
        let mut flight = match self.cached_or_lead::<Option<KeyRecord>>(&cache_key).await? {
            Lookup::Cached(record) => return Ok((record, false)),
            Lookup::Lead(flight) => flight,
        };
        if let Some(client) = client {
            let policy = self.limiter.config().key_lookup();
            let decision = self.limiter.check(&policy, &client.rate_key()).await;
            if !decision.allowed {
                return Err(AuthError::Throttled(decision));
            }
        }
        let key = match ApiKey::find_by_prefix(&self.db, prefix).await {
            Ok(Some(key)) => key,
            Ok(None) => {
                self.store(&cache_key, &None::<KeyRecord>).await;
                return Ok((None, true));
            }
            Err(error) => {
                flight.failed();
                return Err(store_unavailable(error));
            }
        };
        let record = KeyRecord {
            id: key.id,
            user_id: key.user_id,
            key_hash: key.key_hash,
            scopes: key.scopes.0.iter().filter_map(|p| p.parse().ok()).collect(),
            expires_at: key.expires_at.map(|at| at.and_utc().timestamp()),
            revoked: key.revoked_at.is_some(),
        };
        self.store(&cache_key, &Some(&record)).await;
        Ok((Some(record), true))
    }

    /// The cached value of `key`, or the lead of its lookup when it is not cached: those who
    /// miss it while a lookup runs wait for that lookup and read what it cached.
    async fn cached_or_lead<T: for<'de> Deserialize<'de>>(
        &self,
        key: &str,
    ) -> Result<Lookup<T>, AuthError> {
        loop {
            if let Some(value) = self.cached(key).await {
                return Ok(Lookup::Cached(value));
            }
            match self.flights.enter(key).await {
                Turn::Lead(flight) => return Ok(Lookup::Lead(flight)),
                Turn::Followed { failed: true } => return Err(AuthError::Unavailable),
                // It cached the value, or ended without (refused, dropped): look again.
                Turn::Followed { failed: false } => {}
            }
        }
    }

    async fn cached<T: for<'de> Deserialize<'de>>(&self, key: &str) -> Option<T> {
        let text = self
            .limiter
            .on_shared_or_local("auth_get", async |cache: &Cache| {
                cache.get(Space::Credentials, key).await
            })
            .await
            .flatten()?;
        serde_json::from_str(self.seal.open(key, &text)?).ok()
    }

    async fn store<T: Serialize>(&self, key: &str, value: &T) {
        if let Ok(json) = serde_json::to_string(value) {
            let sealed = self.seal.seal(key, &json);
            let ttl = self.cache_ttl;
            let _ = self
                .limiter
                .on_shared_or_local("auth_set", async |cache: &Cache| {
                    cache.set(Space::Credentials, key, &sealed, ttl).await
                })
                .await;
        }
    }
}

fn store_unavailable(error: StoreError) -> AuthError {
    tracing::warn!(%error, "credential lookup failed");
    AuthError::Unavailable
}

fn revoked_key(jti: &str) -> String {
    format!("auth:revoked:{jti}")
}

fn key_cache_key(prefix: &str) -> String {
    format!("auth:key:{prefix}")
}

fn grant_key(user_id: &str) -> String {
    format!("auth:user:{user_id}")
}
