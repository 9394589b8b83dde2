//! Ends a socket once the credential that opened it would be refused (logout, key revocation,
//! expiry, fewer permissions): checked again through the authenticator and its cache every
//! `auth.credential_cache_ms`, on a task of its own, and at a login token's `exp`. One check per
//! socket per period; frames cost nothing.

use std::time::Duration;

use actix_ws::{CloseCode, CloseReason};
use tokio::sync::oneshot;
use tokio::time::{Instant, MissedTickBehavior};

use crate::auth::{AuthError, Authenticator, Credential, Permission, Principal, SocketCredential};

pub const WS_CREDENTIAL_LAPSED: &str = "ws_credential_lapsed_total";

/// What a socket's credential must keep being.
pub struct Watch {
    auth: Authenticator,
    credential: SocketCredential,
    needs: &'static [Permission],
    every: Duration,
    /// A login token's `exp` (Unix seconds).
    expires_at: Option<i64>,
}

impl Watch {
    pub fn new(
        auth: Authenticator,
        principal: &Principal,
        credential: SocketCredential,
        needs: &'static [Permission],
        every: Duration,
    ) -> Watch {
        let expires_at = match principal.credential {
            Credential::Jwt { expires_at, .. } => Some(expires_at),
            Credential::ApiKey { .. } => None,
        };
        Watch {
            auth,
            credential,
            needs,
            every: every.max(Duration::from_millis(1)),
            expires_at,
        }
    }

    /// Starts watching; the watch ends with the returned `Lapse`.
    pub fn start(self) -> Lapse {
        let (mut sender, receiver) = oneshot::channel();
        actix_web::rt::spawn(async move {
            let reason = tokio::select! {
                () = sender.closed() => return,
                reason = self.lapsed() => reason,
            };
            metrics::counter!(WS_CREDENTIAL_LAPSED).increment(1);
            let _ = sender.send(reason);
        });
        Lapse(Some(receiver))
    }

    async fn lapsed(self) -> CloseReason {
        let expiry = self.expires_at.map(|at| {
            let left = u64::try_from(at - chrono::Utc::now().timestamp()).unwrap_or(0);
            Instant::now() + Duration::from_secs(left)
        });
        let mut checks = tokio::time::interval_at(Instant::now() + self.every, self.every);
        checks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = until(expiry) => return policy("the token expired".into()),
                _ = checks.tick() => if let Some(reason) = self.check().await {
                    return reason;
                },
            }
        }
    }

    async fn check(&self) -> Option<CloseReason> {
        match self.auth.recheck(self.credential.expose()).await {
            Ok(principal) => self
                .needs
                .iter()
                .find(|needed| !principal.can(**needed))
                .map(|needed| policy(format!("the credential no longer holds {needed}"))),
            Err(AuthError::Invalid(reason)) => Some(policy(reason)),
            // The credential store cannot answer now: the socket stays, the next period asks
            // again, and a token's `exp` still ends it.
            Err(AuthError::Unavailable | AuthError::Throttled(_)) => None,
        }
    }
}

/// A socket's side of a watch: resolves with a 1008 close once the credential lapses, and stays
/// pending otherwise (also once the watch is gone). Dropping it ends the watch.
pub struct Lapse(Option<oneshot::Receiver<CloseReason>>);

impl Lapse {
    /// Cancel-safe: use it in a `select!` loop.
    pub async fn wait(&mut self) -> CloseReason {
        if let Some(receiver) = &mut self.0 {
            let lapsed = receiver.await;
            self.0 = None;
            if let Ok(reason) = lapsed {
                return reason;
            }
        }
        std::future::pending().await
    }
}

async fn until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn policy(reason: String) -> CloseReason {
    CloseReason {
        code: CloseCode::Policy,
        description: Some(reason),
    }
}
