//! JSON-LD validity: each block parses, every node has `@type` (and the block an `@context`
//! naming schema.org), and the types Google shows rich results for carry their required fields.

use serde_json::Value;

/// The problems in the page's JSON-LD blocks; empty when all are valid (or there are none).
pub(crate) fn problems(blocks: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for (index, raw) in blocks.iter().enumerate() {
        let block = index + 1;
        let value: Value = match serde_json::from_str(raw.trim()) {
            Ok(value) => value,
            Err(err) => {
                problems.push(format!("JSON-LD block {block} does not parse: {err}"));
                continue;
            }
        };
        let roots: Vec<&Value> = match &value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for root in roots {
            let has_context = root
                .get("@context")
                .and_then(context_text)
                .is_some_and(|c| c.contains("schema.org"));
            if !has_context {
                problems.push(format!(
                    "JSON-LD block {block} has no @context naming schema.org"
                ));
            }
            let nodes: Vec<&Value> = match root.get("@graph").and_then(Value::as_array) {
                Some(graph) => graph.iter().collect(),
                None => vec![root],
            };
            for node in nodes {
                check_node(node, block, &mut problems);
            }
        }
    }
    problems
}

fn context_text(context: &Value) -> Option<String> {
    match context {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(items.iter().filter_map(context_text).collect()),
        Value::Object(map) => map.get("@vocab").and_then(context_text),
        _ => None,
    }
}

fn types(node: &Value) -> Vec<&str> {
    match node.get("@type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn check_node(node: &Value, block: usize, problems: &mut Vec<String>) {
    let types = types(node);
    if types.is_empty() {
        problems.push(format!("JSON-LD block {block} has a node without @type"));
        return;
    }
    for kind in types {
        let missing = missing_fields(kind, node);
        if !missing.is_empty() {
            problems.push(format!(
                "JSON-LD block {block}: {kind} lacks {}",
                missing.join(", ")
            ));
        }
    }
}

fn has(node: &Value, field: &str) -> bool {
    node.get(field).is_some_and(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    })
}

fn missing_fields(kind: &str, node: &Value) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    let mut need = |field: &str, ok: bool| {
        if !ok {
            missing.push(field.to_owned());
        }
    };
    match kind {
        "Article" | "NewsArticle" | "BlogPosting" => {
            for field in ["headline", "author", "datePublished"] {
                need(field, has(node, field));
            }
        }
        "Product" => {
            need("name", has(node, "name"));
            need(
                "offers, review or aggregateRating",
                has(node, "offers") || has(node, "review") || has(node, "aggregateRating"),
            );
        }
        "Review" => {
            need("author", has(node, "author"));
            need("itemReviewed", has(node, "itemReviewed"));
            need(
                "reviewRating.ratingValue",
                node.get("reviewRating")
                    .is_some_and(|r| has(r, "ratingValue")),
            );
        }
        "BreadcrumbList" => {
            let items = node.get("itemListElement").and_then(Value::as_array);
            need("itemListElement", items.is_some_and(|i| !i.is_empty()));
            let items = items.map(Vec::as_slice).unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                let last = i + 1 == items.len();
                let ok = has(item, "position") && has(item, "name") && (last || has(item, "item"));
                need(&format!("position, name and item in element {}", i + 1), ok);
            }
        }
        "FAQPage" => {
            let questions = node.get("mainEntity").and_then(|m| match m {
                Value::Array(items) => Some(items.clone()),
                Value::Object(_) => Some(vec![m.clone()]),
                _ => None,
            });
            need(
                "mainEntity",
                questions.as_ref().is_some_and(|q| !q.is_empty()),
            );
            for (i, question) in questions.unwrap_or_default().iter().enumerate() {
                let ok = has(question, "name")
                    && question
                        .get("acceptedAnswer")
                        .is_some_and(|a| has(a, "text"));
                need(
                    &format!("name and acceptedAnswer.text in question {}", i + 1),
                    ok,
                );
            }
        }
        _ => {}
    }
    missing
}

#[cfg(test)]
mod tests;
