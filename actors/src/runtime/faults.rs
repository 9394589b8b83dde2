//! The task kinds an instance can run: the agents' catalogue, plus — only with
//! `tasks.fault_injection` — a `panic` kind whose work panics and a `sleep` kind whose work
//! takes a given time, so supervision, retries and timeouts can be exercised end to end.

use std::time::Duration;

use serde_json::{Value, json};

use crate::kinds::{self, AgentId, FieldError, KindError, Work};

pub const PANIC_KIND: &str = "panic";
pub const SLEEP_KIND: &str = "sleep";

/// The longest a `sleep` task may ask for.
const MAX_SLEEP_MS: u64 = 60_000;

/// The fault-injection kinds with their input schema and one example, for the agents API.
pub fn kinds() -> [(&'static str, &'static str, Value, Value); 2] {
    [
        (
            PANIC_KIND,
            "Fault injection: the instance's work panics (tasks.fault_injection is on)",
            json!({"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}),
            json!({"message": "poison"}),
        ),
        (
            SLEEP_KIND,
            "Fault injection: the work takes `ms` milliseconds (tasks.fault_injection is on)",
            json!({"type": "object", "required": ["ms"], "properties": {"ms": {"type": "integer", "minimum": 0, "maximum": MAX_SLEEP_MS}}}),
            json!({"ms": 10}),
        ),
    ]
}

pub(crate) fn validate(
    agent: AgentId,
    kind: &str,
    input: &Value,
    fault_injection: bool,
) -> Result<(), KindError> {
    if !(fault_injection && (kind == PANIC_KIND || kind == SLEEP_KIND)) {
        return kinds::validate(agent, kind, input);
    }
    let valid = match kind {
        PANIC_KIND => input.get("message").is_some_and(Value::is_string),
        _ => input
            .get("ms")
            .and_then(Value::as_u64)
            .is_some_and(|ms| ms <= MAX_SLEEP_MS),
    };
    if valid {
        Ok(())
    } else {
        let (field, message) = if kind == PANIC_KIND {
            ("message", "is required (a string)".to_owned())
        } else {
            ("ms", format!("is required (0 to {MAX_SLEEP_MS})"))
        };
        Err(KindError::InvalidInput(vec![FieldError::new(
            field, message,
        )]))
    }
}

/// The work of one attempt: the kind's, or — with fault injection on — a `panic` or `sleep`.
pub(crate) fn work(agent: AgentId, kind: &str, fault_injection: bool) -> Result<Work, KindError> {
    match kind {
        PANIC_KIND if fault_injection => Ok(Work::Pure(panic)),
        SLEEP_KIND if fault_injection => Ok(Work::Pure(sleep)),
        _ => Ok(kinds::find(agent, kind)?.work),
    }
}

fn panic(input: &Value) -> Result<Value, KindError> {
    let message = input
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("fault injection");
    std::panic::panic_any(message.to_owned())
}

fn sleep(input: &Value) -> Result<Value, KindError> {
    let ms = input
        .get("ms")
        .and_then(Value::as_u64)
        .unwrap_or(0)
        .min(MAX_SLEEP_MS);
    std::thread::sleep(Duration::from_millis(ms));
    Ok(json!({"slept_ms": ms}))
}
