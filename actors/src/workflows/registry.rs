//! The table of every workflow, one row per [`WorkflowKind`].

use super::{WorkflowKind, WorkflowSpec, page_pipeline};

/// Every workflow, in [`WorkflowKind::ALL`] order.
pub static WORKFLOWS: [WorkflowSpec; 1] = [WorkflowSpec {
    kind: WorkflowKind::PagePipeline,
    description: "Plan, render, audit and monetise one article page for a keyword: outline → render_page → audit_page → build_affiliate_link.",
    steps: &page_pipeline::STEPS,
    input_schema: page_pipeline::input_schema,
    example_input: page_pipeline::example_input,
    validate: page_pipeline::validate,
    step_input: page_pipeline::step_input,
    output: page_pipeline::output,
}];
