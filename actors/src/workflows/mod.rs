//! Typed, pure workflow definitions: the agent tasks a multi-step run is made of, and their inputs.

pub(crate) mod page_pipeline;
mod registry;
mod steps;
mod website_factory;
mod workflow_kind;

use serde::Serialize;
use serde_json::Value;

use crate::kinds::{AgentId, FieldError};
pub use registry::WORKFLOWS;
pub use workflow_kind::{UnknownWorkflowKind, WorkflowKind};

/// Why a workflow could not be looked up, validated, advanced or finished.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorkflowError {
    #[error("unknown workflow kind `{kind}` (known: {})", known.join(", "))]
    UnknownKind {
        kind: String,
        known: Vec<&'static str>,
    },
    #[error("invalid input: {}", summary(.0))]
    InvalidInput(Vec<FieldError>),
    /// A step index out of range, the wrong number of earlier results, or an earlier result
    /// that does not have the shape its kind produces.
    #[error("bad step: {0}")]
    BadStep(String),
}

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// One step of a workflow: a task of kind `kind` for agent `agent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StepSpec {
    /// Unique within its workflow; stable, since stored runs refer to it.
    pub name: &'static str,
    pub agent: AgentId,
    pub kind: &'static str,
}

/// One kind of workflow: its steps, in order, and the pure functions that drive them.
///
/// The runtime owns the run's state (stored in the DB) and executes the steps; the spec only
/// answers, deterministically: is this input valid, what is the input of step `n` given the
/// results of steps `0..n`, and what is the output once every step has run.
#[derive(Debug, Clone, Copy)]
pub struct WorkflowSpec {
    pub kind: WorkflowKind,
    pub description: &'static str,
    pub steps: &'static [StepSpec],
    /// JSON Schema (draft 2020-12) of the workflow input.
    pub input_schema: fn() -> Value,
    /// One valid input, for documentation and smoke tests.
    pub example_input: fn() -> Value,
    pub(crate) validate: fn(&Value) -> Result<(), WorkflowError>,
    /// Called only with `step < steps.len()` and `results.len() == step`.
    pub(crate) step_input: fn(usize, &Value, &[Value]) -> Result<Value, WorkflowError>,
    /// Called only with `results.len() == steps.len()`.
    pub(crate) output: fn(&Value, &[Value]) -> Result<Value, WorkflowError>,
}

impl WorkflowSpec {
    /// Checks a workflow input (shape and the rules of every step it feeds) before a run is
    /// stored.
    pub fn validate(&self, input: &Value) -> Result<(), WorkflowError> {
        (self.validate)(input)
    }

    /// The input of step `step`, built from the workflow input and the results of the steps
    /// before it (`results.len() == step`). The input is re-validated, and the results are
    /// parsed defensively: a malformed result is a [`WorkflowError::BadStep`], never a panic.
    pub fn step_input(
        &self,
        step: usize,
        input: &Value,
        results: &[Value],
    ) -> Result<Value, WorkflowError> {
        let Some(spec) = self.steps.get(step) else {
            return Err(WorkflowError::BadStep(format!(
                "workflow `{}` has {} steps; there is no step {step}",
                self.kind,
                self.steps.len()
            )));
        };
        if results.len() != step {
            return Err(WorkflowError::BadStep(format!(
                "step {step} ({}) needs the results of exactly {step} earlier steps, got {}",
                spec.name,
                results.len()
            )));
        }
        (self.step_input)(step, input, results)
    }

    /// The workflow's output, from its input and the results of all its steps.
    pub fn output(&self, input: &Value, results: &[Value]) -> Result<Value, WorkflowError> {
        if results.len() != self.steps.len() {
            return Err(WorkflowError::BadStep(format!(
                "workflow `{}` has {} steps, got {} results",
                self.kind,
                self.steps.len(),
                results.len()
            )));
        }
        (self.output)(input, results)
    }
}

/// Looks up a workflow by its wire name (`page_pipeline`).
pub fn find(kind: &str) -> Result<&'static WorkflowSpec, WorkflowError> {
    let unknown = || WorkflowError::UnknownKind {
        kind: kind.to_owned(),
        known: WORKFLOWS.iter().map(|spec| spec.kind.as_str()).collect(),
    };
    let wanted: WorkflowKind = kind.parse().map_err(|_| unknown())?;
    WORKFLOWS
        .iter()
        .find(|spec| spec.kind == wanted)
        .ok_or_else(unknown)
}

#[cfg(test)]
mod pipeline_pages;
#[cfg(test)]
mod tests;
