//! Running `research`: the fan-out to the providers, the competitor pages, the stored note.

use crate::intelligence::data::note_doc;
use empire_schema::models::ResearchNote;
use futures::future::join_all;
use serde_json::{Value, json};
use url::Url;

use super::findings::{extract, merge};
use super::{Input, Language};
use crate::intelligence::llm::{ChatRequest, LlmError, Outcome};
use crate::intelligence::web::summarise;
use crate::kinds::{KindError, decode_valid};
use crate::services::Services;

/// The kind name, also the key of its chain in `[llm.chains]`.
pub const KIND: &str = "research";

/// Validates `input`, asks every provider of the chain, reads the competitors, stores the note.
pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = decode_valid(&input, super::validate)?;
    let chain = input
        .providers
        .clone()
        .unwrap_or_else(|| services.llm.chain_for(KIND));
    let request = prompt(&input);
    let asked = chain.iter().map(|provider| {
        let services = services.clone();
        let request = request.clone();
        let provider = provider.clone();
        async move {
            let answer = services
                .complete_with(std::slice::from_ref(&provider), &request)
                .await;
            (provider, answer)
        }
    });
    let answers: Vec<(String, Result<Outcome, LlmError>)> = join_all(asked).await;
    let limit = usize::from(input.depth) * 4;
    let mut found = Vec::new();
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let mut refused = None;
    for (provider, answer) in answers {
        match answer {
            Ok(outcome) => {
                let completion = outcome.completion;
                let cost: u64 = outcome.calls.iter().map(|c| c.cost_micros).sum();
                sources.push(json!({
                    "provider": completion.provider,
                    "model": completion.model,
                    "input_tokens": completion.usage.input_tokens,
                    "output_tokens": completion.usage.output_tokens,
                    "cost_micro_eur": cost,
                }));
                found.push((provider, completion.model, extract(&completion.text, limit)));
            }
            Err(LlmError::BudgetExceeded(exceeded)) => {
                errors.push(json!({"provider": provider, "error": exceeded.to_string()}));
                refused.get_or_insert(exceeded);
            }
            Err(LlmError::Gateway(error)) => {
                errors.push(json!({"provider": provider, "error": error.to_string()}));
            }
            Err(LlmError::Store(error)) => {
                return Err(KindError::Failed(format!("reading budgets: {error}")));
            }
        }
    }
    if found.is_empty() {
        return Err(match refused {
            Some(exceeded) => KindError::BudgetExceeded(exceeded),
            None => KindError::Failed(format!("no provider answered: {}", Value::Array(errors))),
        });
    }
    let competitors = competitors(&services, &input.competitor_urls).await;
    let mut body = json!({
        "topic": input.topic,
        "language": input.language.as_str(),
        "depth": input.depth,
        "findings": merge(&found),
        "sources": sources,
        "errors": errors,
        "competitors": competitors,
    });
    let task_id = services.task.as_ref().map(|t| t.task_id.clone());
    let note = ResearchNote::new(&input.topic, input.language.as_str(), body.clone(), task_id);
    ResearchNote::create(&services.db, &note, note_doc(&note))
        .await
        .map_err(|error| KindError::Failed(format!("storing the research note: {error}")))?;
    body["note_id"] = json!(note.id);
    Ok(body)
}

fn prompt(input: &Input) -> ChatRequest {
    let findings = usize::from(input.depth) * 4;
    let language = match input.language {
        Language::En => "English",
        Language::De => "German",
    };
    let mut request = ChatRequest::prompt(
        format!(
            "Research the niche \"{}\" for an affiliate website written in {language}. \
             List up to {findings} concise findings about demand, audience, products, prices \
             and competition, one per line, each starting with \"- \".",
            input.topic
        ),
        300 * u32::from(input.depth),
    );
    request.system = Some(
        "You are a careful market researcher. State facts plainly; say when you are unsure.".into(),
    );
    request.temperature = Some(0.3);
    request
}

/// Each page's summary, or why it could not be read; fetched one after another, politely.
async fn competitors(services: &Services, urls: &[String]) -> Vec<Value> {
    let mut out = Vec::with_capacity(urls.len());
    for raw in urls {
        let Ok(url) = Url::parse(raw.trim()) else {
            out.push(json!({"url": raw, "error": "not a URL"}));
            continue;
        };
        match services.web.page(&url).await {
            Ok(page) => {
                let summary = summarise(&page.body, &page.url);
                out.push(json!({
                    "url": raw,
                    "final_url": page.url.as_str(),
                    "truncated": page.truncated,
                    "title": summary.title,
                    "headings": summary.headings,
                    "word_count": summary.word_count,
                    "links": summary.links,
                    "internal_links": summary.internal_links,
                    "external_links": summary.external_links,
                }));
            }
            Err(error) => {
                tracing::info!(url = raw, %error, "competitor page not fetched");
                out.push(json!({"url": raw, "error": error.to_string()}));
            }
        }
    }
    out
}
