//! `page_pipeline`: one article page for a keyword: outline → render → audit → affiliate link.

mod article;
mod input;
pub(crate) mod prose;

use serde::Serialize;
use serde_json::{Value, json};

use super::{StepSpec, WorkflowError, steps};
use crate::content_generator::outline;
use crate::kinds::{AgentId, WEBSITE_ID};
use crate::monetization::build_affiliate_link;
use crate::seo_optimizer::audit_page;
use crate::website_builder::render_page;
use input::{Plan, plan};
pub(super) use input::{example_input, input_schema};

const OUTLINE: usize = 0;
const RENDER: usize = 1;
const AUDIT: usize = 2;
const LINK: usize = 3;

pub(super) static STEPS: [StepSpec; 4] = [
    StepSpec {
        name: "outline",
        agent: AgentId::ContentGenerator,
        kind: "outline",
    },
    StepSpec {
        name: "render",
        agent: AgentId::WebsiteBuilder,
        kind: "render_page",
    },
    StepSpec {
        name: "audit",
        agent: AgentId::SeoOptimizer,
        kind: "audit_page",
    },
    StepSpec {
        name: "affiliate_link",
        agent: AgentId::Monetization,
        kind: "build_affiliate_link",
    },
];

#[derive(Debug, Clone, PartialEq, Serialize)]
struct Output {
    title: String,
    slug: String,
    url: String,
    html: String,
    seo: audit_page::Output,
    affiliate_link: build_affiliate_link::Output,
}

pub(super) fn validate(input: &Value) -> Result<(), WorkflowError> {
    plan(input).map(drop)
}

pub(super) fn step_input(
    step: usize,
    input: &Value,
    results: &[Value],
) -> Result<Value, WorkflowError> {
    let Some(spec) = STEPS.get(step) else {
        return Err(WorkflowError::BadStep(format!(
            "page_pipeline has no step {step}"
        )));
    };
    let plan = plan(input)?;
    let input = &plan.input;
    let built = match step {
        OUTLINE => json!({
            "keyword": input.keyword,
            "article_type": input.article_type,
            "language": input.language,
        }),
        RENDER => {
            let outline = planned_outline(results)?;
            let home_url = format!("{}/", plan.base_url);
            let home = article::Home {
                url: &home_url,
                label: &plan.host,
            };
            json!({
                "markdown": article::markdown(&outline, &input.keyword, input.language, &home),
                "title": outline.title,
                "meta_description": outline.meta_description,
                "canonical_url": canonical_url(&plan, &outline.slug),
                "language": input.language,
            })
        }
        AUDIT => {
            let page: render_page::Output = steps::result(&STEPS, results, RENDER)?;
            json!({ "html": page.html, "keyword": input.keyword })
        }
        LINK => input.affiliate.clone(),
        _ => {
            return Err(WorkflowError::BadStep(format!(
                "page_pipeline has no step {step}"
            )));
        }
    };
    steps::accepted(spec, with_website(built, input.website_id.as_deref()))
}

/// A step's input with the workflow's website added, so the step's task names it too.
fn with_website(mut step_input: Value, website_id: Option<&str>) -> Value {
    if let (Some(id), Some(fields)) = (website_id, step_input.as_object_mut()) {
        fields.insert(WEBSITE_ID.to_owned(), Value::from(id));
    }
    step_input
}

pub(super) fn output(input: &Value, results: &[Value]) -> Result<Value, WorkflowError> {
    let plan = plan(input)?;
    let outline = planned_outline(results)?;
    let page: render_page::Output = steps::result(&STEPS, results, RENDER)?;
    let output = Output {
        url: canonical_url(&plan, &outline.slug),
        title: outline.title,
        slug: outline.slug,
        html: page.html,
        seo: steps::result(&STEPS, results, AUDIT)?,
        affiliate_link: steps::result(&STEPS, results, LINK)?,
    };
    serde_json::to_value(output)
        .map_err(|err| WorkflowError::BadStep(format!("encoding the output: {err}")))
}

fn canonical_url(plan: &Plan, slug: &str) -> String {
    format!("{}/{slug}/", plan.base_url)
}

/// The outline result, with the promises the page relies on checked: a URL-safe slug and
/// only H2/H3 headings (another H1 would fail the audit's single-H1 check).
fn planned_outline(results: &[Value]) -> Result<outline::Output, WorkflowError> {
    let outline: outline::Output = steps::result(&STEPS, results, OUTLINE)?;
    let bad = |what: String| Err(WorkflowError::BadStep(format!("the outline result {what}")));
    let slug_ok = !outline.slug.is_empty()
        && outline.slug.len() <= outline::MAX_SLUG_CHARS
        && outline
            .slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_ok {
        return bad(format!("has an invalid slug `{}`", outline.slug));
    }
    if let Some((i, heading)) = outline
        .outline
        .iter()
        .enumerate()
        .find(|(_, heading)| !(2..=3).contains(&heading.level))
    {
        return bad(format!(
            "has level {} at outline[{i}]; expected 2 or 3",
            heading.level
        ));
    }
    Ok(outline)
}

#[cfg(test)]
mod tests;
