//! Property-based requests generated from `/openapi.json` for the task, workflow, user and
//! API-key operations: valid and broken bodies, known and unknown ids, odd query strings and
//! content types. Every answer must be below 500 and conform (the harness client checks that).
//! `EMPIRE_FUZZ_CASES` sets the cases per operation (64 by default, to keep CI short).

use std::collections::BTreeMap;
use std::sync::Mutex;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Just, Union};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::Method;
use serde_json::{Value, json};

use super::generate::{Schemas, any_json};
use crate::helpers::contract::contract;
use crate::helpers::{TestApp, TestBackend, spawn_app};
use crate::runtime::workflows::pipeline_input;

/// The operations under test: every operation under these paths.
const AREAS: [&str; 5] = [
    "/api/v1/agents/{agent_id}/tasks",
    "/api/v1/tasks",
    "/api/v1/workflows",
    "/api/v1/users",
    "/api/v1/auth/api-key",
];

/// Operations whose request schema states every check the server makes on the body.
const EXACT: [(&str, &str); 3] = [
    ("POST", "/api/v1/auth/api-keys"),
    ("POST", "/api/v1/auth/api-key"),
    ("PATCH", "/api/v1/users/{id}"),
];

#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    /// Raw bytes with a content type: malformed JSON, or not JSON at all.
    Raw(&'static str, &'static str),
}

#[derive(Debug, Clone)]
struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Body,
}

/// Ids that exist, so that some generated requests reach past the 404.
struct Known {
    task: String,
    workflow: String,
    user: String,
    key: String,
    /// (agent, submit body) pairs the server advertises as valid.
    examples: Vec<(String, Value)>,
}

fn cases() -> u32 {
    std::env::var("EMPIRE_FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(64)
}

#[test]
fn generated_requests_never_fail_and_always_conform() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let _context = runtime.enter();
    let app = runtime.block_on(spawn_app(TestBackend::Sqlite));
    let token = runtime.block_on(app.admin_token());
    let known = runtime.block_on(known(&app, &token));
    let document = contract().document();
    let schemas = Schemas { document };

    let mut operations = 0;
    let mut seen: Vec<String> = Vec::new();
    for (template, item) in document["paths"].as_object().unwrap() {
        if !AREAS.iter().any(|area| template.starts_with(area)) {
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            let method: Method = method.to_uppercase().parse().unwrap();
            let strategy = request(&schemas, &known, &method, template, operation);
            let mut runner = TestRunner::new(Config {
                cases: cases(),
                failure_persistence: None,
                ..Config::default()
            });
            let statuses = Mutex::new(BTreeMap::<u16, u32>::new());
            let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
            let exact = EXACT.contains(&(method.as_str(), template.as_str()));
            let outcome = runner.run(&strategy, |request| {
                let status = runtime.block_on(send(&app, &token, &request));
                *statuses.lock().unwrap().entry(status).or_default() += 1;
                prop_assert!(status < 500, "{request:?} answered {status}");
                if let (Body::Json(body), false) = (&request.body, schema.is_null()) {
                    // The server is at least as strict as the schema, and where the schema
                    // says everything the server checks, exactly as strict.
                    let valid = contract().accepts(schema, body);
                    prop_assert!(
                        valid || (400..500).contains(&status),
                        "the schema rejects {body} but the server answered {status}"
                    );
                    prop_assert!(
                        !(valid && exact && [400, 422].contains(&status)),
                        "the schema accepts {body} but the server answered {status}"
                    );
                }
                Ok::<(), TestCaseError>(())
            });
            if let Err(failure) = outcome {
                panic!("{method} {template}: {failure}");
            }
            let statuses = statuses.into_inner().unwrap();
            seen.push(format!("{method} {template}: {statuses:?}"));
            operations += 1;
        }
    }
    // The statuses each operation answered, for `--nocapture` readers.
    eprintln!("{}", seen.join("\n"));
    assert!(operations >= 12, "only {operations} operations fuzzed");
}

async fn send(app: &TestApp, token: &str, request: &Request) -> u16 {
    let mut call = app
        .with(request.method.clone(), &request.path, token)
        .query(&request.query);
    call = match &request.body {
        Body::None => call,
        Body::Json(body) => call.json(body),
        Body::Raw(content_type, raw) => call.header("content-type", *content_type).body(*raw),
    };
    call.send().await.unwrap().status().as_u16()
}

/// One operation's requests: its parameters and body drawn from its schemas.
fn request(
    schemas: &Schemas<'_>,
    known: &Known,
    method: &Method,
    template: &str,
    operation: &Value,
) -> BoxedStrategy<Request> {
    let parameters: Vec<&Value> = operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let mut path = Just(template.to_owned()).boxed();
    let mut query = Just(Vec::<(String, String)>::new()).boxed();
    for parameter in parameters {
        let name = parameter["name"].as_str().unwrap().to_owned();
        let schema = &parameter["schema"];
        if parameter["in"] == "path" {
            let values = path_values(schemas, known, template, &name, schema);
            path = (path, values)
                .prop_map(move |(path, value)| path.replace(&format!("{{{name}}}"), &value))
                .boxed();
        } else if parameter["in"] == "query" {
            let values = proptest::option::of(prop_oneof![
                4 => schemas.valid(schema).prop_map(|value| text(&value)),
                1 => "[a-z0-9%-]{0,6}",
            ]);
            query = (query, values)
                .prop_map(move |(mut query, value)| {
                    query.extend(value.map(|value| (name.clone(), value)));
                    query
                })
                .boxed();
        }
    }
    let body = match operation["requestBody"]["content"]["application/json"].get("schema") {
        Some(schema) => {
            let mut bodies = vec![
                (6, schemas.valid(schema).prop_map(Body::Json).boxed()),
                (3, schemas.invalid(schema).prop_map(Body::Json).boxed()),
                (
                    1,
                    select(vec![
                        Body::Raw("application/json", "{\"kind\":"),
                        Body::Raw("text/plain", "kind=outline"),
                        Body::None,
                    ])
                    .boxed(),
                ),
            ];
            if template == "/api/v1/users" {
                // Fresh, well-formed emails: the generated strings rarely are.
                let users = ("[a-z]{3,10}@[a-z]{3,8}\\.example", "[a-z ]{12,20}").prop_map(
                    |(email, password)| Body::Json(json!({"email": email, "password": password})),
                );
                bodies.push((4, users.boxed()));
            }
            if template == "/api/v1/workflows" {
                let pipeline = json!({"kind": "page_pipeline", "input": pipeline_input()});
                bodies.push((4, Just(Body::Json(pipeline)).boxed()));
            }
            Union::new_weighted(bodies).boxed()
        }
        None => prop_oneof![9 => Just(Body::None), 1 => any_json().prop_map(Body::Json)].boxed(),
    };
    let method = method.clone();
    let generated = (path, query, body)
        .prop_map({
            let method = method.clone();
            move |(path, query, body)| Request {
                method: method.clone(),
                path,
                query,
                body,
            }
        })
        .boxed();
    if template != AREAS[0] {
        return generated;
    }
    // The advertised examples, each to its own agent, so that some submissions are accepted.
    let examples = select(known.examples.clone()).prop_map(move |(agent, body)| Request {
        method: method.clone(),
        path: format!("/api/v1/agents/{agent}/tasks"),
        query: Vec::new(),
        body: Body::Json(body),
    });
    prop_oneof![3 => generated, 1 => examples].boxed()
}

/// A path parameter: one the schema allows, an id that exists, or any segment.
fn path_values(
    schemas: &Schemas<'_>,
    known: &Known,
    template: &str,
    name: &str,
    schema: &Value,
) -> BoxedStrategy<String> {
    let existing = match (name, template) {
        ("id", path) if path.starts_with("/api/v1/tasks") => vec![known.task.clone()],
        ("id", path) if path.starts_with("/api/v1/workflows") => vec![known.workflow.clone()],
        ("id", path) if path.starts_with("/api/v1/users") => vec![known.user.clone()],
        ("id", _) => vec![known.key.clone()],
        _ => known
            .examples
            .iter()
            .map(|(agent, _)| agent.clone())
            .collect(),
    };
    prop_oneof![
        3 => select(existing),
        3 => schemas.valid(schema).prop_map(|value| text(&value)),
        1 => "[a-zA-Z0-9._~-]{1,12}",
    ]
    .boxed()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A task, a workflow, a user and a key that exist, and the advertised task examples.
async fn known(app: &TestApp, token: &str) -> Known {
    let agents: Value = app
        .with(Method::GET, "/api/v1/agents", token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let examples: Vec<(String, Value)> = agents
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|agent| {
            let id = agent["id"].as_str().unwrap().to_owned();
            agent["kinds"].as_array().unwrap().iter().map(move |kind| {
                let body = json!({"kind": kind["kind"], "input": kind["example_input"]});
                (id.clone(), body)
            })
        })
        .collect();
    let (agent, body) = examples[0].clone();
    let task = app.submit_task(token, &agent, &body).await;
    let workflow: Value = app
        .with(Method::POST, "/api/v1/workflows", token)
        .json(&json!({"kind": "page_pipeline", "input": pipeline_input()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let user: Value = app
        .with(Method::POST, "/api/v1/users", token)
        .json(&json!({"email": "fuzzed@test.local", "password": "a long enough password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (_, key) = app.api_key(token, &["agents.read"]).await;
    Known {
        task,
        workflow: workflow["id"].as_str().unwrap().to_owned(),
        user: user["id"].as_str().unwrap().to_owned(),
        key,
        examples,
    }
}
