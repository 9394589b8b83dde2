//! The task kinds an instance can run: the agents' catalogue, plus — only with
//! `tasks.fault_injection` — a `panic` kind that makes the instance's work panic, so
//! supervision and retries can be exercised end to end.

use serde_json::Value;

use crate::kinds::{self, FieldError, KindError};

pub const PANIC_KIND: &str = "panic";

pub fn validate(
    agent: &str,
    kind: &str,
    input: &Value,
    fault_injection: bool,
) -> Result<(), KindError> {
    if fault_injection && kind == PANIC_KIND {
        agent
            .parse::<kinds::AgentId>()
            .map_err(|_| KindError::UnknownAgent(agent.to_owned()))?;
        return match input.get("message") {
            Some(Value::String(_)) => Ok(()),
            _ => Err(KindError::InvalidInput(vec![FieldError::new(
                "message",
                "is required (a string)",
            )])),
        };
    }
    kinds::validate(agent, kind, input)
}

/// Runs the work of one attempt; a `panic` kind panics on purpose (fault injection only).
pub fn execute(
    agent: &str,
    kind: &str,
    input: &Value,
    fault_injection: bool,
) -> Result<Value, KindError> {
    if fault_injection && kind == PANIC_KIND {
        let message = input
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("fault injection");
        std::panic::panic_any(message.to_owned());
    }
    kinds::execute(agent, kind, input)
}
