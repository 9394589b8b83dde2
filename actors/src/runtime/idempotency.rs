//! Idempotency keys as clients give them and as they are stored: scoped to who asked and for
//! which agent, so two principals using the same key get two tasks, and apart from the keys
//! the runtime gives workflow steps itself.

use empire_schema::AgentId;

use crate::kinds::FieldError;

/// Keys the runtime gives workflow steps start with this; clients may not use it.
pub const RESERVED_PREFIX: &str = "workflow:";
const SCOPED_PREFIX: &str = "p:";
/// Who asked, when no principal is named (imports, schedules).
const NO_PRINCIPAL: &str = "-";

/// Checks a client's key: 1..=200 characters, not starting with the reserved prefix.
pub(crate) fn check(key: &str) -> Result<(), FieldError> {
    if key.is_empty() || key.chars().count() > 200 {
        return Err(FieldError::new(
            "idempotency_key",
            "must be 1 to 200 characters",
        ));
    }
    if key.starts_with(RESERVED_PREFIX) {
        return Err(FieldError::new(
            "idempotency_key",
            format!("must not start with `{RESERVED_PREFIX}` (reserved for workflow steps)"),
        ));
    }
    Ok(())
}

/// The key stored for `key` given by `principal` for `agent`.
pub(crate) fn scoped(principal: Option<&str>, agent: AgentId, key: &str) -> String {
    let principal = principal.unwrap_or(NO_PRINCIPAL).replace(':', "%3A");
    format!("{SCOPED_PREFIX}{principal}:{}:{key}", agent.as_str())
}

/// The key as its client gave it, from a stored one.
pub fn client_key(stored: &str) -> &str {
    stored
        .strip_prefix(SCOPED_PREFIX)
        .and_then(|rest| rest.splitn(3, ':').nth(2))
        .unwrap_or(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scoped_key_gives_back_the_clients_key() {
        let stored = scoped(Some("user-1"), AgentId::SeoOptimizer, "page:42");
        assert_eq!(stored, "p:user-1:seo_optimizer:page:42");
        assert_eq!(client_key(&stored), "page:42");
        let odd = scoped(Some("a:b"), AgentId::SeoOptimizer, "k");
        assert_eq!(client_key(&odd), "k");
        assert_ne!(
            scoped(Some("user-1"), AgentId::SeoOptimizer, "k"),
            scoped(Some("user-2"), AgentId::SeoOptimizer, "k")
        );
        assert_ne!(
            scoped(Some("user-1"), AgentId::SeoOptimizer, "k"),
            scoped(Some("user-1"), AgentId::Monetization, "k")
        );
        assert_eq!(client_key("workflow:w:step:1"), "workflow:w:step:1");
    }

    #[test]
    fn the_workflow_prefix_is_reserved() {
        let error = check("workflow:abc:step:0").unwrap_err();
        assert_eq!(error.field, "idempotency_key");
        assert!(check("my-workflow:1").is_ok());
        assert!(check("").is_err());
        assert!(check(&"k".repeat(201)).is_err());
    }
}
