//! `website_pipeline` and `website_rebuild`: a whole affiliate site as one durable run. Every
//! step is a service kind that reads the site from the store and writes what it made back, so
//! the steps pass only ids, and a step retried after a crash resumes where the store stands.
//!
//! The pipeline: keywords → content plan → pages → monetise → build → audit (fixes, gate) →
//! publish. Monetising runs before the build, so the audit and the gate judge the pages exactly
//! as readers will see them, links and disclosure included. A rebuild (after a person's edits,
//! or new offers) runs the last four steps.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{StepSpec, WorkflowError, steps};
use crate::kinds::{AgentId, FieldError, WEBSITE_ID, website};

pub(super) static PIPELINE_STEPS: [StepSpec; 7] = [
    StepSpec {
        name: "keywords",
        agent: AgentId::OpportunityScanner,
        kind: "site_keywords",
    },
    StepSpec {
        name: "plan",
        agent: AgentId::ContentGenerator,
        kind: "plan_content",
    },
    StepSpec {
        name: "write",
        agent: AgentId::ContentGenerator,
        kind: "write_pages",
    },
    MONETISE,
    BUILD,
    AUDIT,
    PUBLISH,
];

pub(super) static REBUILD_STEPS: [StepSpec; 4] = [MONETISE, BUILD, AUDIT, PUBLISH];

const MONETISE: StepSpec = StepSpec {
    name: "monetise",
    agent: AgentId::Monetization,
    kind: "monetise_site",
};
const BUILD: StepSpec = StepSpec {
    name: "build",
    agent: AgentId::WebsiteBuilder,
    kind: "build_site",
};
const AUDIT: StepSpec = StepSpec {
    name: "audit",
    agent: AgentId::SeoOptimizer,
    kind: "audit_site",
};
const PUBLISH: StepSpec = StepSpec {
    name: "publish",
    agent: AgentId::WebsiteBuilder,
    kind: "publish_site",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    website_id: String,
}

#[derive(Debug, Deserialize)]
struct Keywords {
    keywords: Vec<ScoredKeyword>,
}

#[derive(Debug, Deserialize)]
struct ScoredKeyword {
    keyword: String,
}

#[derive(Debug, Deserialize)]
struct Built {
    build_id: String,
}

#[derive(Debug, Deserialize)]
struct Published {
    build_id: String,
    published: bool,
}

pub(super) fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": [WEBSITE_ID],
        "additionalProperties": false,
        "properties": { WEBSITE_ID: website::schema() }
    })
}

pub(super) fn example_input() -> Value {
    json!({ WEBSITE_ID: "0193a4c2-7d1e-7c3a-9f4e-2b8d6a1c5e70" })
}

fn parse(input: &Value) -> Result<Input, WorkflowError> {
    let parsed: Input = serde_json::from_value(input.clone()).map_err(|error| {
        WorkflowError::InvalidInput(vec![FieldError::new("", error.to_string())])
    })?;
    match website::check(Some(&parsed.website_id)) {
        Some(error) => Err(WorkflowError::InvalidInput(vec![error])),
        None => Ok(parsed),
    }
}

pub(super) fn validate(input: &Value) -> Result<(), WorkflowError> {
    parse(input).map(drop)
}

/// The input of step `step` of `steps`, by the kind it runs.
fn step_input_of(
    steps_of: &'static [StepSpec],
    step: usize,
    input: &Value,
    results: &[Value],
) -> Result<Value, WorkflowError> {
    let website_id = parse(input)?.website_id;
    let spec = steps_of
        .get(step)
        .ok_or_else(|| WorkflowError::BadStep(format!("no step {step}")))?;
    let built = match spec.kind {
        "plan_content" => {
            let found: Keywords = steps::result(steps_of, results, step - 1)?;
            let keywords: Vec<String> = found.keywords.into_iter().map(|k| k.keyword).collect();
            json!({ WEBSITE_ID: website_id, "keywords": keywords })
        }
        "audit_site" => {
            let built: Built = steps::result(steps_of, results, step - 1)?;
            json!({ WEBSITE_ID: website_id, "build_id": built.build_id })
        }
        "publish_site" => {
            let audited: Built = steps::result(steps_of, results, step - 1)?;
            json!({ WEBSITE_ID: website_id, "build_id": audited.build_id })
        }
        _ => json!({ WEBSITE_ID: website_id }),
    };
    steps::accepted(spec, built)
}

pub(super) fn pipeline_step_input(
    step: usize,
    input: &Value,
    results: &[Value],
) -> Result<Value, WorkflowError> {
    step_input_of(&PIPELINE_STEPS, step, input, results)
}

pub(super) fn rebuild_step_input(
    step: usize,
    input: &Value,
    results: &[Value],
) -> Result<Value, WorkflowError> {
    step_input_of(&REBUILD_STEPS, step, input, results)
}

/// `{website_id, build_id, published}`: the publish step's verdict.
fn output_of(
    steps_of: &'static [StepSpec],
    input: &Value,
    results: &[Value],
) -> Result<Value, WorkflowError> {
    let website_id = parse(input)?.website_id;
    let published: Published = steps::result(steps_of, results, steps_of.len() - 1)?;
    Ok(json!({
        WEBSITE_ID: website_id,
        "build_id": published.build_id,
        "published": published.published,
    }))
}

pub(super) fn pipeline_output(input: &Value, results: &[Value]) -> Result<Value, WorkflowError> {
    output_of(&PIPELINE_STEPS, input, results)
}

pub(super) fn rebuild_output(input: &Value, results: &[Value]) -> Result<Value, WorkflowError> {
    output_of(&REBUILD_STEPS, input, results)
}
