//! Turns a task's JSON input into its typed struct, reporting serde's complaints per field.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::field_error::{FieldError, join_path};

/// Deserializes `input`, mapping a failure to the JSON path of the offending field.
pub(crate) fn decode<T: DeserializeOwned>(input: &Value) -> Result<T, FieldError> {
    // serde would also accept a struct written as an array; every input is an object.
    if !input.is_object() {
        return Err(FieldError::new("", "must be a JSON object"));
    }
    serde_path_to_error::deserialize(input).map_err(|err| {
        let path = match err.path().to_string() {
            root if root == "." => String::new(),
            path => path,
        };
        let message = err.inner().to_string();
        field_error(&path, &message)
    })
}

/// serde reports a missing field at the enclosing object; name the field itself.
fn field_error(path: &str, message: &str) -> FieldError {
    if let Some(name) = quoted_name(message, "missing field `") {
        return FieldError::new(join_path(path, name), "is required");
    }
    if let Some(name) = quoted_name(message, "unknown field `") {
        let expected = message
            .split_once(", ")
            .map(|(_, rest)| format!(" ({rest})"))
            .unwrap_or_default();
        // The tracked path already ends at the unknown key.
        let field = if path == name || path.ends_with(&format!(".{name}")) {
            path.to_owned()
        } else {
            join_path(path, name)
        };
        return FieldError::new(field, format!("is not a known field{expected}"));
    }
    FieldError::new(path, message)
}

/// The text between `prefix` and the next backtick, if `message` starts with `prefix`.
fn quoted_name<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(
        dead_code,
        reason = "the fields are only deserialised, to test the decoder"
    )]
    struct Outer {
        items: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(
        dead_code,
        reason = "the fields are only deserialised, to test the decoder"
    )]
    struct Inner {
        name: String,
        count: u32,
    }

    #[test]
    fn a_wrong_type_is_reported_at_its_path() {
        let input =
            json!({ "items": [{ "name": "a", "count": 1 }, { "name": "b", "count": "x" }] });
        let err = decode::<Outer>(&input).unwrap_err();
        assert_eq!(err.field, "items[1].count");
        assert!(err.message.contains("invalid type"), "{err}");
    }

    #[test]
    fn a_missing_field_is_reported_by_name() {
        let err = decode::<Outer>(&json!({ "items": [{ "name": "a" }] })).unwrap_err();
        assert_eq!(err, FieldError::new("items[0].count", "is required"));
        let err = decode::<Outer>(&json!({})).unwrap_err();
        assert_eq!(err, FieldError::new("items", "is required"));
    }

    #[test]
    fn an_unknown_field_is_reported_by_name() {
        let err = decode::<Outer>(&json!({ "items": [], "extra": 1 })).unwrap_err();
        assert_eq!(err.field, "extra");
        assert!(err.message.contains("`items`"), "{err}");
        let input = json!({ "items": [{ "name": "a", "count": 1, "name2": 1 }] });
        let err = decode::<Outer>(&input).unwrap_err();
        assert_eq!(err.field, "items[0].name2");
    }

    #[test]
    fn a_non_object_is_reported_at_the_root() {
        for input in [json!([1, 2]), json!(null), json!("items")] {
            let err = decode::<Outer>(&input).unwrap_err();
            assert_eq!(err, FieldError::new("", "must be a JSON object"));
        }
    }
}
