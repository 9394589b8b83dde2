//! Which website a task concerns — the one rule, used for validation and for events.
//!
//! A task concerns a website when its input has a top-level `website_id`: the id of a row of
//! the `websites` table. The kinds that work on one site's pages accept it as an optional
//! field (`content_generator/outline`, `website_builder/render_page`,
//! `seo_optimizer/audit_page`, `monetization/build_affiliate_link`, and `research`, whose LLM
//! spend then counts against the website's budget); `score_keywords` looks for
//! opportunities before there is a site and takes none. The workflow `page_pipeline` takes an
//! optional `website_id` too and puts it into the input of every step, so each step's task
//! names the workflow's website like any other task.
//!
//! The runtime reads the id from the input it already holds (the task row, the assignment,
//! the workflow row), so naming the website on an event costs no database read. Only an id of
//! the right shape counts: [`website_of`] ignores anything else, so a fault-injection kind that
//! does not validate its input still never puts junk on an event.

use serde_json::{Value, json};

use super::FieldError;

/// The input field naming the website.
pub const WEBSITE_ID: &str = "website_id";
/// Longest id accepted; the store's ids are UUIDs (36 characters).
pub const MAX_WEBSITE_ID_CHARS: usize = 64;

/// The website `input` concerns: its `website_id` when that is a well-formed id.
pub fn website_of(input: &Value) -> Option<String> {
    input
        .get(WEBSITE_ID)
        .and_then(Value::as_str)
        .filter(|id| is_website_id(id))
        .map(str::to_owned)
}

fn is_website_id(id: &str) -> bool {
    (1..=MAX_WEBSITE_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The field error for a `website_id` that is present but not an id.
pub(crate) fn check(website_id: Option<&str>) -> Option<FieldError> {
    website_id.filter(|id| !is_website_id(id)).map(|_| {
        FieldError::new(
            WEBSITE_ID,
            format!(
                "must be a website id: 1 to {MAX_WEBSITE_ID_CHARS} letters, digits, `-` or `_`"
            ),
        )
    })
}

/// The JSON schema of the optional `website_id` property.
pub(crate) fn schema() -> Value {
    json!({
        "type": "string",
        "pattern": format!("^[A-Za-z0-9_-]{{1,{MAX_WEBSITE_ID_CHARS}}}$"),
        "description": "The website (its id in the websites table) this task is for; events about the task name it."
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_well_formed_top_level_id_names_a_website() {
        let id = "01936f7e-8c1a-7d2b-9f00-0123456789ab";
        assert_eq!(website_of(&json!({ "website_id": id })), Some(id.into()));
        assert_eq!(
            website_of(&json!({ "website_id": "espresso_site-2" })).as_deref(),
            Some("espresso_site-2")
        );
        for input in [
            json!({}),
            json!({ "website_id": null }),
            json!({ "website_id": 7 }),
            json!({ "website_id": "" }),
            json!({ "website_id": "a b" }),
            json!({ "website_id": "x".repeat(MAX_WEBSITE_ID_CHARS + 1) }),
            json!({ "affiliate": { "website_id": "nested" } }),
            json!(["website_id"]),
        ] {
            assert_eq!(website_of(&input), None, "{input}");
        }
    }

    #[test]
    fn the_check_and_the_schema_agree_with_the_rule() {
        assert_eq!(check(None), None);
        assert_eq!(check(Some("site-1")), None);
        let err = check(Some("site 1")).unwrap();
        assert_eq!(err.field, WEBSITE_ID);
        assert!(check(Some("")).is_some());
        assert_eq!(schema()["pattern"], "^[A-Za-z0-9_-]{1,64}$");
    }
}
