//! Ends a socket once the credential that opened it would be refused (logout, key revocation,
//! expiry, fewer permissions): checked again through the authenticator and its cache every
//! `auth.credential_cache_ms`, from the socket's own task, and at a login token's `exp`. One
//! check per socket per period; frames cost nothing.

use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use actix_ws::{CloseCode, CloseReason};
use tokio::task::JoinHandle;
use tokio::time::{Instant, Interval, MissedTickBehavior, Sleep};

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
        let expiry = self.expires_at.map(|at| {
            let left = u64::try_from(at - chrono::Utc::now().timestamp()).unwrap_or(0);
            Box::pin(tokio::time::sleep_until(
                Instant::now() + Duration::from_secs(left),
            ))
        });
        let mut checks = tokio::time::interval_at(Instant::now() + self.every, self.every);
        checks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        Lapse {
            watch: Rc::new(self),
            checks,
            expiry,
            check: None,
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

/// A socket's side of a watch, polled by the socket's own task: an idle socket holds only the
/// watch and two timers, no task. Each check runs on a task of its own while it lasts and is
/// never cancelled: its verdict is kept across the socket's `select!` turns, so a chatty client
/// cannot put it off, and a store query is never dropped half-way (on SQLite that panics on an
/// HTTP worker's thread; see `empire_schema::db`).
pub struct Lapse {
    watch: Rc<Watch>,
    checks: Interval,
    /// A login token's `exp`.
    expiry: Option<Pin<Box<Sleep>>>,
    check: Option<JoinHandle<Option<CloseReason>>>,
}

impl Lapse {
    /// Resolves with a 1008 close once the credential lapses. Cancel-safe: use it in a
    /// `select!` loop.
    pub async fn wait(&mut self) -> CloseReason {
        loop {
            if let Some(check) = &mut self.check {
                let verdict = check.await;
                self.check = None;
                if let Ok(Some(reason)) = verdict {
                    return lapsed(reason);
                }
            }
            tokio::select! {
                () = until(&mut self.expiry) => return lapsed(policy("the token expired".into())),
                _ = self.checks.tick() => {
                    let watch = Rc::clone(&self.watch);
                    self.check = Some(actix_web::rt::spawn(async move { watch.check().await }));
                }
            }
        }
    }
}

fn lapsed(reason: CloseReason) -> CloseReason {
    metrics::counter!(WS_CREDENTIAL_LAPSED).increment(1);
    reason
}

async fn until(expiry: &mut Option<Pin<Box<Sleep>>>) {
    match expiry {
        Some(sleep) => sleep.as_mut().await,
        None => std::future::pending().await,
    }
}

fn policy(reason: String) -> CloseReason {
    CloseReason {
        code: CloseCode::Policy,
        description: Some(reason),
    }
}
