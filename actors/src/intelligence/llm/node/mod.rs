//! The node's LLM service: the provider gateway plus what the cluster shares — spend budgets
//! reserved before every call, the `llm_calls` ledger and metrics, rate buckets in Redis or,
//! without it, in the database.
//!
//! One per node, as an `Arc`'d handle rather than an actor: calls are independent network
//! waits that must run concurrently, and the per-node state (breakers, in-process buckets) sits
//! behind short mutexes inside the gateway, so a mailbox would only serialise them.

mod budget;
pub mod ledger;
mod settings;
mod shared_limiter;

use std::collections::BTreeMap;
use std::sync::Arc;

use empire_schema::cache::Cache;
use empire_schema::{Db, StoreError};

pub use budget::{BudgetExceeded, BudgetName, start_of_today};
pub use settings::{LOCAL, LlmSettings, UnknownChainProvider};
pub use shared_limiter::{BucketStore, SharedRateLimiter};

use super::{
    ChatRequest, Gateway, GatewayError, GatewayOptions, Limits, Outcome, ProviderError,
    ProviderKind,
};
use crate::services::TaskContext;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// A budget refused every provider that would have cost money.
    #[error(transparent)]
    BudgetExceeded(BudgetExceeded),
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    #[error("cannot read budgets or spend")]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum LlmStartError {
    #[error(transparent)]
    Chain(#[from] UnknownChainProvider),
    #[error(transparent)]
    Gateway(#[from] GatewayError),
}

/// The node's LLM service. Cheap to clone.
#[derive(Clone)]
pub struct Llm {
    inner: Arc<Inner>,
}

struct Inner {
    gateway: Gateway,
    settings: LlmSettings,
    db: Db,
}

impl Llm {
    /// Builds the gateway from `settings`. Rate buckets are shared by the cluster: through
    /// `shared` (Redis) when given, else through the database.
    pub fn start(
        settings: LlmSettings,
        db: Db,
        shared: Option<Cache>,
        options: GatewayOptions,
    ) -> Result<Llm, LlmStartError> {
        let settings = settings.with_local();
        settings.validate()?;
        ledger::describe();
        let limits: BTreeMap<String, Limits> = settings
            .providers
            .iter()
            .filter(|(_, p)| p.kind != ProviderKind::Local)
            .map(|(name, p)| {
                let limits = Limits {
                    requests_per_minute: u64::from(p.requests_per_minute),
                    tokens_per_minute: p.tokens_per_minute,
                };
                (name.clone(), limits)
            })
            .collect();
        let store = match shared {
            Some(cache) => BucketStore::Cache(cache),
            None => BucketStore::Database(db.clone()),
        };
        let gateway =
            Gateway::with_options(settings.providers.clone(), settings.chain.clone(), options)?
                .with_limiter(Arc::new(SharedRateLimiter::new(store, limits)));
        Ok(Llm {
            inner: Arc::new(Inner {
                gateway,
                settings,
                db,
            }),
        })
    }

    /// The offline-only service: the `local` provider, no budget.
    pub fn offline(db: Db) -> Result<Llm, LlmStartError> {
        Llm::start(LlmSettings::default(), db, None, GatewayOptions::default())
    }

    pub fn gateway(&self) -> &Gateway {
        &self.inner.gateway
    }

    pub fn settings(&self) -> &LlmSettings {
        &self.inner.settings
    }

    /// The chain configured for task kind `kind` (its own, else the default).
    pub fn chain_for(&self, kind: &str) -> Vec<String> {
        self.inner.settings.chain_for(kind).to_vec()
    }

    /// Asks the providers of `chain` in order for `task`. Before each provider the call's
    /// worst-case cost is reserved against every budget that applies; a provider that would
    /// pass one is skipped. Every attempt made is written to the ledger, which settles the
    /// reservation. (A call abandoned mid-way leaves its reservation to lapse.)
    pub async fn complete_with(
        &self,
        task: Option<&TaskContext>,
        chain: &[String],
        request: &ChatRequest,
    ) -> Result<Outcome, LlmError> {
        let inner = &self.inner;
        if chain.is_empty() {
            return Err(GatewayError::EmptyChain.into());
        }
        if let Some(unknown) = chain.iter().find(|p| inner.gateway.settings(p).is_none()) {
            return Err(GatewayError::UnknownProvider(unknown.clone()).into());
        }
        let mut refused: Option<BudgetExceeded> = None;
        let mut attempts: Vec<(String, ProviderError)> = Vec::new();
        let mut calls = Vec::new();
        for provider in chain {
            let needed = inner
                .gateway
                .max_cost_micros(provider, request)
                .unwrap_or(0);
            let limit = inner.settings.budget_micro_eur_per_day;
            let reservation = match budget::reserve(&inner.db, task, needed, limit).await? {
                Ok(reservation) => reservation,
                Err(exceeded) => {
                    tracing::info!(provider, %exceeded, "LLM call refused by a budget");
                    refused.get_or_insert(exceeded);
                    continue;
                }
            };
            let settles = reservation.as_deref();
            let single = std::slice::from_ref(provider);
            match inner.gateway.complete(single, request).await {
                Ok(mut outcome) => {
                    ledger::record(&inner.db, task, &outcome.calls, settles).await;
                    calls.append(&mut outcome.calls);
                    outcome.calls = calls;
                    return Ok(outcome);
                }
                Err(GatewayError::AllFailed {
                    attempts: mut failed,
                    calls: mut made,
                }) => {
                    ledger::record(&inner.db, task, &made, settles).await;
                    calls.append(&mut made);
                    attempts.append(&mut failed);
                }
                Err(other) => {
                    budget::release(&inner.db, reservation).await;
                    return Err(other.into());
                }
            }
        }
        match refused {
            Some(exceeded) => Err(LlmError::BudgetExceeded(exceeded)),
            None => Err(GatewayError::AllFailed { attempts, calls }.into()),
        }
    }

    /// [`Llm::complete_with`] along the chain configured for task kind `kind`.
    pub async fn complete(
        &self,
        task: Option<&TaskContext>,
        kind: &str,
        request: &ChatRequest,
    ) -> Result<Outcome, LlmError> {
        let chain = self.chain_for(kind);
        self.complete_with(task, &chain, request).await
    }
}

impl std::fmt::Debug for Llm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Llm")
            .field("gateway", &self.inner.gateway)
            .finish_non_exhaustive()
    }
}
