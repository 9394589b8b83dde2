//! The table of every workflow, one row per [`WorkflowKind`].

use super::{WorkflowKind, WorkflowSpec, page_pipeline, website_factory};

/// Every workflow, in [`WorkflowKind::ALL`] order.
pub static WORKFLOWS: [WorkflowSpec; 3] = [
    WorkflowSpec {
        kind: WorkflowKind::PagePipeline,
        description: "Plan, render, audit and monetise one article page for a keyword: outline → render_page → audit_page → build_affiliate_link.",
        steps: &page_pipeline::STEPS,
        input_schema: page_pipeline::input_schema,
        example_input: page_pipeline::example_input,
        validate: page_pipeline::validate,
        step_input: page_pipeline::step_input,
        output: page_pipeline::output,
    },
    WorkflowSpec {
        kind: WorkflowKind::WebsitePipeline,
        description: "Make and publish a whole website: site_keywords → plan_content → write_pages → monetise_site → build_site → audit_site (fixes, gate) → publish_site. Started by POST /api/v1/websites/generate.",
        steps: &website_factory::PIPELINE_STEPS,
        input_schema: website_factory::input_schema,
        example_input: website_factory::example_input,
        validate: website_factory::validate,
        step_input: website_factory::pipeline_step_input,
        output: website_factory::pipeline_output,
    },
    WorkflowSpec {
        kind: WorkflowKind::WebsiteRebuild,
        description: "Rebuild a website from its stored pages (a person's edits kept): monetise_site → build_site → audit_site → publish_site. Started by POST /api/v1/websites/{id}/rebuild.",
        steps: &website_factory::REBUILD_STEPS,
        input_schema: website_factory::input_schema,
        example_input: website_factory::example_input,
        validate: website_factory::validate,
        step_input: website_factory::rebuild_step_input,
        output: website_factory::rebuild_output,
    },
];
