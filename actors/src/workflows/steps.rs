//! Shared workflow plumbing: checking step inputs by their kinds and reading stored results.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{StepSpec, WorkflowError};
use crate::kinds::{self, FieldError, KindError};

/// The field errors the step's kind reports for `input` (empty when it is valid).
pub(super) fn field_errors(
    step: &StepSpec,
    input: &Value,
) -> Result<Vec<FieldError>, WorkflowError> {
    match kinds::validate(step.agent, step.kind, input) {
        Ok(()) => Ok(Vec::new()),
        Err(KindError::InvalidInput(errors)) => Ok(errors),
        // Only a step wired to a kind that does not exist gets here; the catalogue tests
        // resolve every step.
        Err(err) => Err(WorkflowError::BadStep(format!("step {}: {err}", step.name))),
    }
}

/// `input` if the step's kind accepts it. A built input the kind rejects means an earlier
/// result was off, since the workflow input was valid.
pub(super) fn accepted(step: &StepSpec, input: Value) -> Result<Value, WorkflowError> {
    let errors = field_errors(step, &input)?;
    if errors.is_empty() {
        Ok(input)
    } else {
        let summary = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        Err(WorkflowError::BadStep(format!(
            "the input built for step {} is not valid: {summary}",
            step.name
        )))
    }
}

/// Moves `errors` under the JSON path `prefix` (`target_url` → `affiliate.target_url`).
pub(super) fn prefixed(prefix: &str, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|err| {
            let field = match err.field.as_str() {
                "" => prefix.to_owned(),
                // An array index attaches without a dot.
                path if path.starts_with('[') => format!("{prefix}{path}"),
                path => format!("{prefix}.{path}"),
            };
            FieldError::new(field, err.message)
        })
        .collect()
}

/// The result of earlier step `index`, parsed into the output type of its kind. Results come
/// back from the store and are trusted for nothing.
pub(super) fn result<T: DeserializeOwned>(
    steps: &[StepSpec],
    results: &[Value],
    index: usize,
) -> Result<T, WorkflowError> {
    let name = steps.get(index).map_or("?", |step| step.name);
    let Some(value) = results.get(index) else {
        return Err(WorkflowError::BadStep(format!(
            "step {index} ({name}) has no result"
        )));
    };
    // serde would also accept a struct written as an array; every result is an object.
    if !value.is_object() {
        return Err(WorkflowError::BadStep(format!(
            "the result of step {index} ({name}) must be a JSON object"
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let at = match err.path().to_string() {
            root if root == "." => String::new(),
            path => format!(" at `{path}`"),
        };
        WorkflowError::BadStep(format!(
            "the result of step {index} ({name}) is malformed{at}: {}",
            err.inner()
        ))
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;
    use crate::kinds::AgentId;

    const STEPS: [StepSpec; 1] = [StepSpec {
        name: "outline",
        agent: AgentId::ContentGenerator,
        kind: "outline",
    }];

    #[derive(Debug, Deserialize)]
    #[expect(
        dead_code,
        reason = "the fields are only deserialised, to test the decoder"
    )]
    struct Shape {
        items: Vec<u8>,
    }

    #[test]
    fn prefixes_join_like_json_paths() {
        let errors = vec![
            FieldError::new("", "a"),
            FieldError::new("target_url", "b"),
            FieldError::new("[2].x", "c"),
        ];
        let fields: Vec<String> = prefixed("affiliate", errors)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["affiliate", "affiliate.target_url", "affiliate[2].x"]
        );
    }

    #[test]
    fn malformed_results_name_the_step_and_the_path() {
        let bad = |value: Value| match result::<Shape>(&STEPS, &[value], 0) {
            Err(WorkflowError::BadStep(message)) => message,
            other => panic!("expected BadStep, got {other:?}"),
        };
        assert!(bad(json!([[1]])).contains("must be a JSON object"));
        assert!(bad(json!({})).contains("missing field `items`"));
        let message = bad(json!({ "items": [1, 300] }));
        assert!(message.contains("step 0 (outline)"), "{message}");
        assert!(message.contains("`items[1]`"), "{message}");
        let missing = result::<Shape>(&STEPS, &[], 0).unwrap_err();
        assert!(matches!(missing, WorkflowError::BadStep(_)));
    }

    #[test]
    fn step_inputs_are_checked_by_their_kind() {
        let good = json!({ "keyword": "k", "article_type": "guide", "language": "en" });
        assert_eq!(accepted(&STEPS[0], good.clone()), Ok(good));
        let err = accepted(&STEPS[0], json!({ "keyword": "k" })).unwrap_err();
        assert!(matches!(err, WorkflowError::BadStep(m) if m.contains("article_type")));
    }
}
