//! The contract check: a response conforms to `/openapi.json` when its status is documented for
//! the operation, its content type is one the operation documents for that status, and its
//! JSON body is valid against the documented schema (formats such as `date-time` included).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use reqwest::Method;
use serde_json::{Value, json};

/// The document `/openapi.json` serves, with a validator per (operation, status, media type).
pub struct Contract {
    document: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

/// What came back, as the client saw it.
pub struct Observed<'a> {
    pub method: &'a Method,
    pub path: &'a str,
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

pub fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| Contract {
        document: serde_json::to_value(empire::openapi::document()).expect("the document"),
        validators: Mutex::default(),
    })
}

impl Contract {
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The operation documented for `method` on a concrete `path`, with its template.
    pub fn operation<'a>(&'a self, method: &Method, path: &'a str) -> Option<(&'a str, &'a Value)> {
        let method = method.as_str().to_ascii_lowercase();
        self.templates(path)
            .find_map(|(template, item)| item.get(&method).map(|op| (template, op)))
    }

    fn templates<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (&'a str, &'a Value)> {
        let paths = self.document["paths"].as_object().into_iter().flatten();
        paths
            .filter(move |(template, item)| matches_template(template, remainder(item), path))
            .map(|(template, item)| (template.as_str(), item))
    }

    /// Every way `observed` departs from the document; empty when it conforms.
    pub fn violations(&self, observed: &Observed<'_>) -> Vec<String> {
        // CORS preflights are answered by the CORS layer for any route, outside the API.
        if observed.method == Method::OPTIONS {
            return Vec::new();
        }
        let Some((template, operation)) = self.operation(observed.method, observed.path) else {
            return self.unrouted(observed);
        };
        let Some(response) = operation["responses"].get(observed.status.to_string()) else {
            return vec![format!("status {} is not documented", observed.status)];
        };
        let content = response["content"].as_object();
        if observed.status == 101 || (observed.body.is_empty() && content.is_none()) {
            return Vec::new();
        }
        let Some(content) = content else {
            return vec![format!(
                "a body ({:?}) where the document promises none",
                observed.content_type
            )];
        };
        let Some(actual) = observed.content_type else {
            return vec!["no Content-Type".into()];
        };
        let Some((media, documented)) = content
            .iter()
            .find(|(media, _)| media_matches(media, actual))
        else {
            let promised: Vec<&String> = content.keys().collect();
            return vec![format!(
                "Content-Type `{actual}` is not documented (documented: {promised:?})"
            )];
        };
        let Some(schema) = documented.get("schema") else {
            return Vec::new();
        };
        // A HEAD answer has the headers of the GET answer and never a body.
        if !is_json(media) || observed.method == Method::HEAD {
            return Vec::new();
        }
        let body: Value = match serde_json::from_slice(observed.body) {
            Ok(body) => body,
            Err(error) => return vec![format!("the body is not JSON: {error}")],
        };
        let key = format!("{} {template} {} {media}", observed.method, observed.status);
        let validator = self.validator(&key, schema);
        validator
            .iter_errors(&body)
            .map(|error| format!("body at `{}`: {error}", error.instance_path()))
            .collect()
    }

    /// A path or method no operation documents: the answer must be the problem 404 or 405.
    fn unrouted(&self, observed: &Observed<'_>) -> Vec<String> {
        // The Swagger UI's own files under /docs/ are served beside the API, not part of it.
        if observed.path.starts_with("/docs/") && observed.path != "/docs/" {
            return Vec::new();
        }
        let expected = if self.templates(observed.path).next().is_some() {
            405
        } else {
            404
        };
        let mut violations = Vec::new();
        if observed.status != expected {
            violations.push(format!(
                "undocumented operation answered {} (expected {expected})",
                observed.status
            ));
        }
        let problem = observed
            .content_type
            .is_some_and(|actual| media_matches(empire::error::PROBLEM_JSON, actual));
        let body = serde_json::from_slice::<Value>(observed.body).unwrap_or(Value::Null);
        let schema = json!({ "$ref": "#/components/schemas/Problem" });
        let validator = self.validator("unrouted", &schema);
        if !problem || !validator.is_valid(&body) {
            violations.push(format!(
                "the {} of an undocumented operation is not a problem: {body}",
                observed.status
            ));
        }
        violations
    }

    /// Whether `value` is valid against `schema` (a schema of this document).
    pub fn accepts(&self, schema: &Value, value: &Value) -> bool {
        self.validator(&schema.to_string(), schema).is_valid(value)
    }

    fn validator(&self, key: &str, schema: &Value) -> Arc<jsonschema::Validator> {
        let mut validators = self.validators.lock().expect("validators");
        validators
            .entry(key.to_owned())
            .or_insert_with(|| {
                // The schema's `$ref`s point into the document's components: embed them.
                let root = json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "components": self.document["components"],
                    "allOf": [schema],
                });
                let validator = jsonschema::options()
                    .should_validate_formats(true)
                    .build(&root)
                    .unwrap_or_else(|error| panic!("schema of {key} does not compile: {error}"));
                Arc::new(validator)
            })
            .clone()
    }
}

/// The parameter an operation of `item` marks as taking the rest of the path
/// (`x-path-remainder`), such as `path` in `/sites/{slug}/{path}`.
fn remainder(item: &Value) -> Option<&str> {
    item.as_object()?
        .values()
        .find_map(|operation| operation[empire::openapi::REMAINDER].as_str())
}

/// `/api/v1/tasks/{id}` matches `/api/v1/tasks/0190…`; a parameter is one non-empty segment,
/// except the last one when it is the `remainder`: it takes the rest, empty or several segments.
fn matches_template(template: &str, remainder: Option<&str>, path: &str) -> bool {
    let mut expected = template.split('/').peekable();
    let mut actual = path.split('/');
    loop {
        match (expected.next(), actual.next()) {
            (None, None) => return true,
            (Some(want), Some(_))
                if expected.peek().is_none()
                    && remainder.is_some_and(|name| want == format!("{{{name}}}")) =>
            {
                return true;
            }
            (Some(want), Some(got)) => {
                let parameter = want.starts_with('{') && want.ends_with('}');
                if !(parameter && !got.is_empty() || want == got) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// `text/plain; version=0.0.4` matches `text/plain; version=0.0.4; charset=utf-8`: the same
/// type, and every parameter the document names with the same value.
fn media_matches(documented: &str, actual: &str) -> bool {
    let (documented_type, documented_params) = split_media(documented);
    let (actual_type, actual_params) = split_media(actual);
    documented_type == actual_type
        && documented_params
            .iter()
            .all(|param| actual_params.contains(param))
}

fn split_media(media: &str) -> (String, Vec<String>) {
    let mut parts = media
        .split(';')
        .map(|part| part.trim().to_ascii_lowercase());
    let kind = parts.next().unwrap_or_default();
    (kind, parts.filter(|part| !part.is_empty()).collect())
}

fn is_json(media: &str) -> bool {
    let (kind, _) = split_media(media);
    kind == "application/json" || kind.ends_with("+json")
}

#[test]
fn templates_and_media_types_match_as_documented() {
    assert!(matches_template(
        "/api/v1/tasks/{id}",
        None,
        "/api/v1/tasks/abc"
    ));
    assert!(!matches_template(
        "/api/v1/tasks/{id}",
        None,
        "/api/v1/tasks/"
    ));
    assert!(!matches_template(
        "/api/v1/tasks/{id}",
        None,
        "/api/v1/tasks/a/b"
    ));
    let rest = Some("path");
    assert!(matches_template("/sites/{slug}/{path}", rest, "/sites/a/"));
    assert!(matches_template(
        "/sites/{slug}/{path}",
        rest,
        "/sites/a/b/c/"
    ));
    assert!(!matches_template("/sites/{slug}/{path}", rest, "/sites/a"));
    assert!(!matches_template(
        "/sites/{slug}/{path}",
        None,
        "/sites/a/b/c"
    ));
    assert!(media_matches(
        "text/plain; version=0.0.4",
        "text/plain; version=0.0.4; charset=utf-8"
    ));
    assert!(!media_matches("text/plain; version=0.0.4", "text/plain"));
    assert!(media_matches("text/html", "text/html; charset=utf-8"));
}

#[test]
fn drift_is_reported() {
    let contract = contract();
    let observe = |method: &Method, path: &str, status, content_type, body: &str| {
        contract.violations(&Observed {
            method,
            path,
            status,
            content_type,
            body: body.as_bytes(),
        })
    };
    let task = json!({
        "id": "0190a000-0000-7000-8000-000000000000", "agent": "seo_optimizer", "kind": "audit_page",
        "status": "queued", "priority": 0, "attempts": 0, "max_attempts": 3, "timeout_s": 60,
        "input": {}, "created_at": "2026-12-01T13:59:55.286446Z",
    });
    let path = "/api/v1/tasks/0190a000-0000-7000-8000-000000000000";
    let json = Some("application/json");
    assert!(observe(&Method::GET, path, 200, json, &task.to_string()).is_empty());
    let mut naive = task.clone();
    naive["created_at"] = json!("2026-12-01T13:59:55.286446");
    assert!(!observe(&Method::GET, path, 200, json, &naive.to_string()).is_empty());
    let mut unknown_agent = task.clone();
    unknown_agent["agent"] = json!("SeoOptimizer");
    assert!(!observe(&Method::GET, path, 200, json, &unknown_agent.to_string()).is_empty());
    assert!(!observe(&Method::GET, path, 200, Some("text/html"), "<p>").is_empty());
    assert!(!observe(&Method::GET, path, 418, json, "{}").is_empty());
    // An undocumented method must be the problem 405, an unknown path the problem 404.
    let problem =
        json!({"type": "urn:empire:problem:x", "title": "t", "status": 405, "detail": "d"});
    let problem_json = Some("application/problem+json");
    assert!(observe(&Method::PUT, path, 405, problem_json, &problem.to_string()).is_empty());
    assert!(!observe(&Method::PUT, path, 404, problem_json, &problem.to_string()).is_empty());
    assert!(!observe(&Method::GET, "/nowhere", 404, json, "{}").is_empty());
}
