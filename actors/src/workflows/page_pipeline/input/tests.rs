//! Unit tests of the `page_pipeline` input checks: every broken part at its JSON path.

use serde_json::{Value, json};

use super::example_input;
use crate::kinds::FieldError;
use crate::workflows::{WorkflowError, WorkflowSpec, find};

fn spec() -> &'static WorkflowSpec {
    find("page_pipeline").unwrap()
}

fn field_errors(input: &Value) -> Vec<FieldError> {
    match spec().validate(input) {
        Err(WorkflowError::InvalidInput(errors)) => errors,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn fields(input: &Value) -> Vec<String> {
    field_errors(input).into_iter().map(|e| e.field).collect()
}

#[test]
fn invalid_parts_are_reported_at_their_paths() {
    let with = |path: &str, value: Value| {
        let mut input = example_input();
        match path.split_once('.') {
            Some((outer, inner)) => input[outer][inner] = value,
            None => input[path] = value,
        }
        input
    };
    assert_eq!(
        fields(&with("affiliate.target_url", json!("shop"))),
        ["affiliate.target_url"]
    );
    assert_eq!(
        fields(&with("affiliate.network", json!("amazon"))),
        ["affiliate.network"]
    );
    assert_eq!(
        fields(&with("affiliate.product_id", json!("1"))),
        ["affiliate.product_id"]
    );
    assert_eq!(fields(&with("affiliate", json!("awin"))), ["affiliate"]);
    assert_eq!(
        fields(&with("article_type", json!("poem"))),
        ["article_type"]
    );
    assert_eq!(fields(&with("keyword", json!(" "))), ["keyword"]);
    assert_eq!(fields(&with("language", json!("fr"))), ["language"]);
    for site in [
        json!("ftp://x.example"),
        json!("/relative"),
        json!(5),
        json!("https://a.example/?q=1"),
    ] {
        assert_eq!(
            fields(&with("site_url", site.clone())),
            ["site_url"],
            "{site}"
        );
    }
    let long = format!("https://a.example/{}", "x".repeat(2000));
    assert_eq!(fields(&with("site_url", json!(long))), ["site_url"]);
    assert_eq!(fields(&with("extra", json!(1))), ["extra"]);
    assert_eq!(
        field_errors(&json!([1])),
        [FieldError::new("", "must be a JSON object")]
    );
}

#[test]
fn every_broken_part_is_reported_at_once() {
    let input = json!({
        "keyword": "espresso",
        "language": "en",
        "site_url": "mailto:me@espresso.example",
        "affiliate": { "network": "awin", "advertiser_id": "x1" },
        "colour": "red"
    });
    let errors = field_errors(&input);
    let paths: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        paths,
        [
            "colour",
            "article_type",
            "site_url",
            "affiliate.publisher_id",
            "affiliate.target_url",
            "affiliate.advertiser_id"
        ]
    );
    assert_eq!(errors[1].message, "is required");
    assert!(errors[0].message.contains("`site_url`"), "{}", errors[0]);
    let missing = fields(&json!({ "article_type": "guide", "language": "de" }));
    assert_eq!(missing, ["keyword", "site_url", "affiliate"]);
}

#[test]
fn step_inputs_and_the_output_recheck_the_workflow_input() {
    let mut input = example_input();
    input["site_url"] = json!("nope");
    let results = vec![json!({}); 4];
    for step in 0..4 {
        let err = spec()
            .step_input(step, &input, &results[..step])
            .unwrap_err();
        assert!(matches!(err, WorkflowError::InvalidInput(_)), "{err:?}");
    }
    let err = spec().output(&input, &results).unwrap_err();
    assert!(matches!(err, WorkflowError::InvalidInput(_)), "{err:?}");
}

#[test]
fn the_website_is_optional_given_once_and_checked() {
    let mut input = example_input();
    input["website_id"] = json!("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    assert_eq!(spec().validate(&input), Ok(()));
    input["website_id"] = json!("not an id");
    assert_eq!(fields(&input), ["website_id"]);
    input["website_id"] = json!(42);
    assert_eq!(fields(&input), ["website_id"]);
    let mut nested = example_input();
    nested["affiliate"]["website_id"] = json!("site-1");
    let errors = field_errors(&nested);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, "affiliate.website_id");
    assert!(errors[0].message.contains("workflow"), "{}", errors[0]);
    let schema = (spec().input_schema)();
    assert!(schema["properties"]["website_id"].is_object());
    assert!(
        !schema["required"]
            .as_array()
            .unwrap()
            .contains(&json!("website_id"))
    );
    assert!(
        schema["properties"]["affiliate"]["properties"]
            .get("website_id")
            .is_none()
    );
}
