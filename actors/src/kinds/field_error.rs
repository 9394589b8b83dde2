//! Field-level input errors, addressed by JSON path (`keywords[2].difficulty`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// One problem with one field of a task's input. `field` is a JSON path such as
/// `keywords[2].difficulty`; the empty string means the input as a whole.
/// Also the `errors` items of an HTTP 422 problem body, with paths relative to the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// Appends `child` to the JSON path `parent` (`""` + `"a"` → `"a"`, `"a"` + `"b"` → `"a.b"`).
pub(crate) fn join_path(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}
