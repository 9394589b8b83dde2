//! Every call attempt into the ledger (`llm_calls`) and the metrics, attributed to its task,
//! agent and website.

use empire_schema::models::LlmCall;
use empire_schema::{Db, clock};

use crate::intelligence::llm::CallRecord;
use crate::services::TaskContext;

pub const CALLS: &str = "llm_calls_total";
pub const COST: &str = "llm_cost_micro_eur_total";
pub const TOKENS: &str = "llm_tokens_total";
pub const LATENCY: &str = "llm_call_seconds";

pub fn describe() {
    metrics::describe_counter!(CALLS, "LLM call attempts by provider and outcome");
    metrics::describe_counter!(COST, "LLM spend in micro-EUR by provider");
    metrics::describe_counter!(
        TOKENS,
        "LLM tokens by provider and direction (input, output)"
    );
    metrics::describe_histogram!(LATENCY, metrics::Unit::Seconds, "LLM call attempt latency");
}

fn row(record: &CallRecord, task: Option<&TaskContext>) -> LlmCall {
    let int = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    LlmCall {
        id: clock::new_id(),
        created_at: clock::now(),
        provider: record.provider.clone(),
        model: record.model.clone(),
        task_id: task.map(|t| t.task_id.clone()),
        agent: task.map(|t| t.agent),
        website_id: task.and_then(|t| t.website_id.clone()),
        input_tokens: int(record.input_tokens),
        output_tokens: int(record.output_tokens),
        usage_estimated: record.usage_estimated,
        latency_ms: int(record.latency_ms),
        outcome: record.outcome.as_str().to_owned(),
        cost_micro_eur: int(record.cost_micros),
        priced_by_default: record.priced_by_default,
        streamed: record.streamed,
        error: record.error.clone(),
    }
}

/// Writes `records` and counts them, settling the budget reservation `settles`. A store
/// failure is logged, not returned: the money is spent whether or not the row was written, and
/// the answer is still worth having (the reservation then holds the budget until it lapses).
pub async fn record(
    db: &Db,
    task: Option<&TaskContext>,
    records: &[CallRecord],
    settles: Option<&str>,
) {
    for record in records {
        let provider = record.provider.clone();
        metrics::counter!(CALLS, "provider" => provider.clone(), "outcome" => record.outcome.as_str())
            .increment(1);
        metrics::counter!(COST, "provider" => provider.clone()).increment(record.cost_micros);
        metrics::counter!(TOKENS, "provider" => provider.clone(), "direction" => "input")
            .increment(record.input_tokens);
        metrics::counter!(TOKENS, "provider" => provider.clone(), "direction" => "output")
            .increment(record.output_tokens);
        metrics::histogram!(LATENCY, "provider" => provider)
            .record(record.latency_ms as f64 / 1000.0);
        if record.priced_by_default && record.cost_micros > 0 {
            tracing::warn!(
                provider = record.provider,
                model = record.model,
                "no price configured: charged at the conservative default"
            );
        }
    }
    let rows: Vec<LlmCall> = records.iter().map(|r| row(r, task)).collect();
    if let Err(error) = LlmCall::record(db, &rows, settles).await {
        tracing::error!(%error, calls = rows.len(), "cannot write LLM calls to the ledger");
    }
}
