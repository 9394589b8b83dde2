//! The catalogue of task kinds: what each agent can do, its input schema, and one entry point
//! that validates and runs any kind from JSON.

pub(crate) mod checks;
mod decode;
mod field_error;
mod registry;
pub(crate) mod website;

use futures::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::intelligence::llm::BudgetExceeded;
use crate::services::Services;

pub use empire_schema::AgentId;
pub use field_error::FieldError;
pub use registry::KINDS;
pub use website::{MAX_WEBSITE_ID_CHARS, WEBSITE_ID, website_of};

/// Why a task could not be validated or run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KindError {
    #[error("agent `{agent}` has no kind `{kind}` (known: {})", known.join(", "))]
    UnknownKind {
        agent: AgentId,
        kind: String,
        known: Vec<&'static str>,
    },
    #[error("invalid input: {}", summary(.0))]
    InvalidInput(Vec<FieldError>),
    #[error("task failed: {0}")]
    Failed(String),
    /// The work cannot succeed however often it is tried (a file that cannot be read, an upload
    /// that is gone); never retried.
    #[error("task failed for good: {0}")]
    Permanent(String),
    /// An LLM call would have passed a spend budget; never retried.
    #[error("{BUDGET_EXCEEDED}: {0}")]
    BudgetExceeded(BudgetExceeded),
}

/// How a task's error starts when a budget stopped it, as stored in `tasks.error`.
pub const BUDGET_EXCEEDED: &str = "budget_exceeded";

impl KindError {
    /// Whether another attempt could succeed: not after a spent budget or a permanent failure.
    pub fn retryable(&self) -> bool {
        !matches!(self, KindError::BudgetExceeded(_) | KindError::Permanent(_))
    }
}

/// The budget named by a task error written by [`KindError::BudgetExceeded`]
/// (`cluster`, `agent:<id>` or `website:<id>`).
pub fn budget_of_task_error(error: &str) -> Option<&str> {
    let rest = error.strip_prefix(BUDGET_EXCEEDED)?.strip_prefix(": ")?;
    rest.split_once(" budget exceeded").map(|(name, _)| name)
}

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// One kind of task an agent performs.
#[derive(Debug, Clone, Copy)]
pub struct KindSpec {
    pub agent: AgentId,
    pub kind: &'static str,
    pub description: &'static str,
    /// JSON Schema (draft 2020-12) of the input.
    pub input_schema: fn() -> Value,
    /// One valid input, for documentation and smoke tests.
    pub example_input: fn() -> Value,
    pub(crate) validate: fn(&Value) -> Result<(), KindError>,
    pub(crate) work: Work,
}

/// How a kind's work runs.
#[derive(Debug, Clone, Copy)]
pub enum Work {
    /// Pure, deterministic CPU work, offline and free of side effects; run on a blocking thread.
    Pure(fn(&Value) -> Result<Value, KindError>),
    /// Work that calls the node's services (the store, and as they land the LLM gateway, the
    /// search index, the knowledge graph, the web); async.
    Service(fn(Services, Value) -> BoxFuture<'static, Result<Value, KindError>>),
}

impl KindSpec {
    /// Checks `input` (shape and field rules) without running the task.
    pub fn validate(&self, input: &Value) -> Result<(), KindError> {
        (self.validate)(input)
    }

    /// Validates and runs a pure kind here and now; a service kind needs the runtime.
    pub fn execute(&self, input: &Value) -> Result<Value, KindError> {
        match self.work {
            Work::Pure(work) => work(input),
            Work::Service(_) => Err(KindError::Failed(format!(
                "`{}` calls services and runs only as a task",
                self.kind
            ))),
        }
    }
}

/// The kinds of one agent, in catalogue order.
pub fn kinds_of(agent: AgentId) -> impl Iterator<Item = &'static KindSpec> {
    KINDS.iter().filter(move |spec| spec.agent == agent)
}

/// Looks up the kind `kind` of agent `agent`.
pub fn find(agent: AgentId, kind: &str) -> Result<&'static KindSpec, KindError> {
    kinds_of(agent)
        .find(|spec| spec.kind == kind)
        .ok_or_else(|| KindError::UnknownKind {
            agent,
            kind: kind.to_owned(),
            known: kinds_of(agent).map(|spec| spec.kind).collect(),
        })
}

/// Rejects an unknown agent or kind, or input that would not run, before a task is queued.
pub fn validate(agent: AgentId, kind: &str, input: &Value) -> Result<(), KindError> {
    find(agent, kind)?.validate(input)
}

/// Validates `input` and runs the kind, returning its output as JSON.
pub fn execute(agent: AgentId, kind: &str, input: &Value) -> Result<Value, KindError> {
    find(agent, kind)?.execute(input)
}

/// Decodes and checks an input: serde's error first (one per input), then every rule that fails.
pub(crate) fn decode_valid<I: DeserializeOwned>(
    input: &Value,
    rules: fn(&I) -> Vec<FieldError>,
) -> Result<I, KindError> {
    let typed: I = decode::decode(input).map_err(|err| KindError::InvalidInput(vec![err]))?;
    let errors = rules(&typed);
    if errors.is_empty() {
        Ok(typed)
    } else {
        Err(KindError::InvalidInput(errors))
    }
}

fn validate_with<I: DeserializeOwned>(
    input: &Value,
    rules: fn(&I) -> Vec<FieldError>,
) -> Result<(), KindError> {
    decode_valid(input, rules).map(drop)
}

fn execute_with<I, O, E>(
    input: &Value,
    rules: fn(&I) -> Vec<FieldError>,
    run: fn(&I) -> Result<O, E>,
) -> Result<Value, KindError>
where
    I: DeserializeOwned,
    O: Serialize,
    KindError: From<E>,
{
    let typed = decode_valid(input, rules)?;
    let output = run(&typed)?;
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

#[cfg(test)]
mod tests;
