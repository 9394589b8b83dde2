//! `/webhooks/n8n/{hook}`: hooks from `[integrations.n8n.hooks]` turn a JSON body into a task
//! or a workflow, for a caller with the hook's header secret or basic auth.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use empire::config::HookConfig;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::client::checked;
use crate::helpers::{TestApp, backends, spawn_app_with};

const SECRET: &str = "n8n-header-secret-0123";
const PASSWORD: &str = "n8n-basic-password-0123";

async fn app(backend: crate::helpers::TestBackend) -> TestApp {
    spawn_app_with(backend, |config| {
        let hooks = &mut config.integrations.n8n.hooks;
        hooks.insert(
            "tracking_link".into(),
            HookConfig {
                secret: SECRET.into(),
                header: "X-N8N-Secret".into(),
                agent: "monetization".into(),
                kind: "build_affiliate_link".into(),
                ..HookConfig::default()
            },
        );
        hooks.insert(
            "article".into(),
            HookConfig {
                username: "n8n".into(),
                password: PASSWORD.into(),
                workflow: "page_pipeline".into(),
                ..HookConfig::default()
            },
        );
    })
    .await
}

async fn call(app: &TestApp, hook: &str, headers: &[(&str, String)], body: &Value) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(app.url(&format!("/webhooks/n8n/{hook}")))
        .json(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = checked(&Method::POST, request.send().await.unwrap()).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn basic(user: &str, password: &str) -> (&'static str, String) {
    (
        "authorization",
        format!("Basic {}", STANDARD.encode(format!("{user}:{password}"))),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hooks_queue_their_task_or_workflow_for_callers_with_the_secret() {
    for backend in backends() {
        let app = app(backend).await;
        let input = empire_actors::kinds::find(
            empire_actors::kinds::AgentId::Monetization,
            "build_affiliate_link",
        )
        .map(|spec| (spec.example_input)())
        .unwrap();
        let secret = ("x-n8n-secret", SECRET.to_owned());

        let (status, body) =
            call(&app, "tracking_link", std::slice::from_ref(&secret), &input).await;
        assert_eq!(status, 202, "{body}");
        let task_id = body["task_id"].as_str().unwrap().to_owned();
        let admin = app.admin_token().await;
        let task: Value = app
            .with(Method::GET, &format!("/api/v1/tasks/{task_id}"), &admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(task["kind"], "build_affiliate_link", "{task}");
        assert_eq!(task["input"], input);

        // A resend with the same Idempotency-Key is the same task.
        let keyed = [secret.clone(), ("idempotency-key", "run-42".to_owned())];
        let (first, one) = call(&app, "tracking_link", &keyed, &input).await;
        let (again, two) = call(&app, "tracking_link", &keyed, &input).await;
        assert_eq!((first, again), (202, 200));
        assert_eq!(one["task_id"], two["task_id"]);

        for wrong in [
            vec![],
            vec![("x-n8n-secret", "not-the-secret-at-all".to_owned())],
            vec![basic("n8n", PASSWORD)],
        ] {
            let (status, body) = call(&app, "tracking_link", &wrong, &input).await;
            assert_eq!(status, 401, "{wrong:?}: {body}");
        }
        let (status, _) = call(&app, "no_such_hook", std::slice::from_ref(&secret), &input).await;
        assert_eq!(status, 404);
        let mut bad = input.clone();
        bad["network"] = json!("ebay");
        let (status, problem) = call(&app, "tracking_link", &[secret], &bad).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "network", "{problem}");

        let workflow_input = (empire_actors::workflows::find("page_pipeline")
            .unwrap()
            .example_input)();
        let (status, body) =
            call(&app, "article", &[basic("n8n", PASSWORD)], &workflow_input).await;
        assert_eq!(status, 202, "{body}");
        assert!(body["workflow_id"].is_string(), "{body}");
        let (status, _) = call(
            &app,
            "article",
            &[basic("n8n", "wrong-password-0123456")],
            &workflow_input,
        )
        .await;
        assert_eq!(status, 401);
    }
}

#[test]
fn a_hook_must_name_one_target_and_a_strong_credential() {
    let mut config = empire::config::Config::default();
    let hook = |f: fn(&mut HookConfig)| {
        let mut hook = HookConfig {
            secret: SECRET.into(),
            agent: "monetization".into(),
            kind: "build_affiliate_link".into(),
            ..HookConfig::default()
        };
        f(&mut hook);
        hook
    };
    for (bad, names) in [
        (hook(|h| h.secret = "short".into()), "secret"),
        (hook(|h| h.kind = "no_such_kind".into()), "kind"),
        (hook(|h| h.workflow = "page_pipeline".into()), "only one"),
        (hook(|h| h.secret = "".into()), "needs a `secret`"),
    ] {
        config.integrations.n8n.hooks.clear();
        config.integrations.n8n.hooks.insert("h".into(), bad);
        let error = config.validate().unwrap_err().to_string();
        assert!(error.contains(names), "{names}: {error}");
    }
}
