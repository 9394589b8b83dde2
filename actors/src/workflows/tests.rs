//! Unit tests of the workflow catalogue, and the step-by-step runner the workflow tests share.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::*;
use crate::kinds;

/// Runs every step the way the runtime does (step input → execute → store the result) and
/// returns the output and the results.
pub(super) fn run_to_end(spec: &WorkflowSpec, input: &Value) -> (Value, Vec<Value>) {
    let mut results = Vec::new();
    for (n, step) in spec.steps.iter().enumerate() {
        let step_input = spec
            .step_input(n, input, &results)
            .unwrap_or_else(|err| panic!("step {n} ({}): {err}", step.name));
        let result = kinds::execute(step.agent, step.kind, &step_input)
            .unwrap_or_else(|err| panic!("step {n} ({}): {err}\n{step_input:#}", step.name));
        results.push(result);
    }
    let output = spec.output(input, &results).unwrap();
    (output, results)
}

#[test]
fn every_kind_has_one_spec_in_order() {
    let kinds: Vec<WorkflowKind> = WORKFLOWS.iter().map(|spec| spec.kind).collect();
    assert_eq!(kinds, WorkflowKind::ALL);
    for kind in WorkflowKind::ALL {
        assert_eq!(find(kind.as_str()).unwrap().kind, kind);
    }
}

#[test]
fn an_unknown_kind_lists_the_known_ones() {
    let err = find("page-pipeline").unwrap_err();
    assert_eq!(
        err,
        WorkflowError::UnknownKind {
            kind: "page-pipeline".into(),
            known: vec!["page_pipeline", "website_pipeline", "website_rebuild"],
        }
    );
    assert!(err.to_string().contains("page_pipeline"), "{err}");
}

#[test]
fn every_step_is_a_known_kind_with_a_unique_name() {
    for spec in &WORKFLOWS {
        assert!(!spec.description.is_empty());
        assert!(!spec.steps.is_empty(), "{}", spec.kind);
        let mut names = HashSet::new();
        for step in spec.steps {
            assert!(
                names.insert(step.name),
                "{}: {} twice",
                spec.kind,
                step.name
            );
            let kind = kinds::find(step.agent, step.kind).unwrap();
            assert_eq!((kind.agent, kind.kind), (step.agent, step.kind));
        }
    }
}

#[test]
fn every_example_validates_and_runs_deterministically() {
    for spec in &WORKFLOWS {
        let example = (spec.example_input)();
        assert_eq!(spec.validate(&example), Ok(()), "{}", spec.kind);
        // The website workflows' steps are service kinds over a stored site: they run end to
        // end in tests/api/websites.
        if spec.kind.builds_website() {
            continue;
        }
        let (output, results) = run_to_end(spec, &example);
        assert!(output.is_object(), "{}: {output}", spec.kind);
        assert_eq!(results.len(), spec.steps.len());
        assert_eq!(run_to_end(spec, &example).0, output, "{}", spec.kind);
    }
}

#[test]
fn every_schema_is_a_closed_draft_2020_12_object() {
    for spec in &WORKFLOWS {
        let schema = (spec.input_schema)();
        let name = spec.kind;
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert_eq!(schema["type"], "object", "{name}");
        assert_eq!(schema["additionalProperties"], false, "{name}");
        let example = (spec.example_input)();
        for key in example.as_object().unwrap().keys() {
            let property = &schema["properties"][key];
            assert!(property.is_object(), "{name}: {key} is {property}");
        }
        for required in schema["required"].as_array().unwrap() {
            assert!(
                example.get(required.as_str().unwrap()).is_some(),
                "{name}: {required}"
            );
        }
    }
}

#[test]
fn steps_out_of_range_or_out_of_turn_are_bad_steps() {
    let spec = find("page_pipeline").unwrap();
    let example = (spec.example_input)();
    let bad_step = |result: Result<Value, WorkflowError>| match result {
        Err(WorkflowError::BadStep(message)) => message,
        other => panic!("expected BadStep, got {other:?}"),
    };
    let results = vec![json!({}); 4];
    let message = bad_step(spec.step_input(4, &example, &results));
    assert!(message.contains("no step 4"), "{message}");
    let message = bad_step(spec.step_input(usize::MAX, &example, &[]));
    assert!(message.contains("no step"), "{message}");
    // Step 2 needs exactly the results of steps 0 and 1.
    bad_step(spec.step_input(2, &example, &results[..1]));
    bad_step(spec.step_input(2, &example, &results[..3]));
    bad_step(spec.step_input(0, &example, &results[..1]));
    let message = bad_step(spec.output(&example, &results[..3]));
    assert!(message.contains("got 3 results"), "{message}");
}

#[test]
fn errors_read_well() {
    let err = WorkflowError::InvalidInput(vec![
        FieldError::new("site_url", "must use http or https"),
        FieldError::new("affiliate.network", "is required"),
    ]);
    assert_eq!(
        err.to_string(),
        "invalid input: site_url: must use http or https; affiliate.network: is required"
    );
    assert_eq!(
        WorkflowError::BadStep("x".into()).to_string(),
        "bad step: x"
    );
}
