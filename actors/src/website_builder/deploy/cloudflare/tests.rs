//! The Pages client against a fake Cloudflare on 127.0.0.1: which credential goes where, the
//! upload's JSON, the deployment's multipart `manifest`, and a JWT refreshed after a 401.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::*;

const ACCOUNT: &str = "acc123";
const TOKEN: &str = "cf-api-token-secret";

fn ok(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true, "errors": [], "messages": [], "result": result,
    }))
}

fn refused(status: u16, code: u32, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "success": false, "errors": [{"code": code, "message": message}], "messages": [], "result": null,
    }))
}

fn settings(api_url: String) -> CloudflareSettings {
    CloudflareSettings {
        api_url,
        account_id: ACCOUNT.into(),
        api_token: TOKEN.into(),
        poll_ms: 10,
        ..CloudflareSettings::default()
    }
}

/// The deployment `dep-1` answers each of `seen` (`stage: status`) once, in order, then the
/// last one for good.
async fn stages(cf: &MockServer, project_path: &str, seen: &[&str]) {
    for (n, shown) in seen.iter().enumerate() {
        let (name, status) = shown.split_once(": ").unwrap();
        let mock = Mock::given(method("GET"))
            .and(path(format!("{project_path}/deployments/dep-1")))
            .respond_with(ok(json!({
                "id": "dep-1", "url": "https://abc.empire-garden.pages.dev",
                "latest_stage": {"name": name, "status": status},
            })))
            .with_priority(u8::try_from(n + 1).unwrap());
        let mock = if n + 1 < seen.len() {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(cf).await;
    }
}

fn site() -> Vec<SiteFile> {
    [
        ("index.html", b"<h1>Hello</h1>".to_vec()),
        ("assets/site.0123abcd.css", b"body{margin:0}".to_vec()),
        ("robots.txt", b"User-agent: *\n".to_vec()),
    ]
    .into_iter()
    .map(|(path, bytes)| SiteFile {
        path: path.into(),
        bytes,
    })
    .collect()
}

/// The text fields of a `multipart/form-data` body.
fn form_fields(request: &Request) -> BTreeMap<String, String> {
    let content_type = request.headers["content-type"].to_str().unwrap();
    let boundary = content_type.split("boundary=").nth(1).unwrap();
    let body = String::from_utf8(request.body.clone()).unwrap();
    body.split(&format!("--{boundary}"))
        .filter_map(|part| {
            let (head, value) = part.split_once("\r\n\r\n")?;
            let name = head.split("name=\"").nth(1)?.split('"').next()?;
            Some((name.to_owned(), value.trim_end_matches("\r\n").to_owned()))
        })
        .collect()
}

fn bearer(request: &Request) -> String {
    request.headers["authorization"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[test]
fn hashes_match_wranglers_test_vectors() {
    assert_eq!(
        asset_hash("index.html", b"<h1>Hello</h1>"),
        "8deb79e268ae1932009657bb3e496c87"
    );
    assert_eq!(
        asset_hash("LICENSE", b""),
        "af1349b9f5f9a1a6a0404dea36dcc949"
    );
}

#[tokio::test]
async fn a_deploy_creates_the_project_uploads_what_is_missing_and_posts_the_manifest() {
    let cf = MockServer::start().await;
    let project_path = format!("/accounts/{ACCOUNT}/pages/projects/empire-garden");
    Mock::given(method("GET"))
        .and(path(project_path.as_str()))
        .respond_with(refused(404, 8_000_007, "Project not found"))
        .mount(&cf)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/accounts/{ACCOUNT}/pages/projects")))
        .respond_with(ok(json!({"name": "empire-garden"})))
        .expect(1)
        .mount(&cf)
        .await;
    // The first JWT is refused by check-missing: the client must fetch a second one.
    Mock::given(method("GET"))
        .and(path(format!("{project_path}/upload-token")))
        .respond_with(ok(json!({"jwt": "jwt-1"})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&cf)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{project_path}/upload-token")))
        .respond_with(ok(json!({"jwt": "jwt-2"})))
        .mount(&cf)
        .await;
    Mock::given(method("POST"))
        .and(path("/pages/assets/check-missing"))
        .and(header("authorization", "Bearer jwt-1"))
        .respond_with(refused(401, 8_000_000, "Expired JWT"))
        .mount(&cf)
        .await;
    let files = site();
    let hash = |i: usize| asset_hash(&files[i].path, &files[i].bytes);
    Mock::given(method("POST"))
        .and(path("/pages/assets/check-missing"))
        .and(header("authorization", "Bearer jwt-2"))
        .respond_with(ok(json!([hash(0), hash(2)])))
        .mount(&cf)
        .await;
    for route in ["/pages/assets/upload", "/pages/assets/upsert-hashes"] {
        Mock::given(method("POST"))
            .and(path(route))
            .and(header("authorization", "Bearer jwt-2"))
            .respond_with(ok(json!(null)))
            .expect(1)
            .mount(&cf)
            .await;
    }
    Mock::given(method("POST"))
        .and(path(format!("{project_path}/deployments")))
        .respond_with(ok(json!({
            "id": "dep-1", "short_id": "abc", "url": "https://abc.empire-garden.pages.dev",
            "environment": "production", "latest_stage": {"name": "queued", "status": "idle"},
        })))
        .expect(1)
        .mount(&cf)
        .await;
    // Queued at creation, initialising at the first look, live at the second.
    stages(
        &cf,
        &project_path,
        &["initialize: active", "deploy: success"],
    )
    .await;

    let client = PagesClient::new(settings(cf.uri())).unwrap();
    let deployment = client.deploy("empire-garden", &files).await.unwrap();

    assert!(deployment.live);
    assert_eq!(deployment.stage, "deploy: success");

    assert_eq!(deployment.id, "dep-1");
    assert_eq!(
        deployment.url.as_deref(),
        Some("https://abc.empire-garden.pages.dev")
    );
    assert_eq!((deployment.files, deployment.uploaded), (3, 2));
    let requests = cf.received_requests().await.unwrap();
    for request in &requests {
        let asset_call = request.url.path().starts_with("/pages/assets/");
        let auth = bearer(request);
        if asset_call {
            assert!(
                auth.starts_with("Bearer jwt-"),
                "{} sent {auth}",
                request.url
            );
        } else {
            assert_eq!(auth, format!("Bearer {TOKEN}"), "{}", request.url);
        }
    }
    let upload = requests
        .iter()
        .find(|r| r.url.path() == "/pages/assets/upload")
        .unwrap();
    let mut uploaded: Vec<Value> = serde_json::from_slice(&upload.body).unwrap();
    uploaded.sort_by_key(|item| item["key"].as_str().map(str::to_owned));
    let mut expected = vec![
        json!({"key": hash(0), "value": "PGgxPkhlbGxvPC9oMT4=", "metadata": {"contentType": "text/html"}, "base64": true}),
        json!({"key": hash(2), "value": "VXNlci1hZ2VudDogKgo=", "metadata": {"contentType": "text/plain"}, "base64": true}),
    ];
    expected.sort_by_key(|item| item["key"].as_str().map(str::to_owned));
    assert_eq!(uploaded, expected);
    let created = requests
        .iter()
        .find(|r| r.url.path().ends_with("/deployments"))
        .unwrap();
    assert!(
        created.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let fields = form_fields(created);
    assert_eq!(fields["branch"], "main");
    let manifest: Value = serde_json::from_str(&fields["manifest"]).unwrap();
    assert_eq!(
        manifest,
        json!({
            "/index.html": hash(0),
            "/assets/site.0123abcd.css": hash(1),
            "/robots.txt": hash(2),
        })
    );
}

#[tokio::test]
async fn a_refusal_names_the_step_and_never_the_token() {
    let cf = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(refused(
            403,
            10_000,
            &format!("Authentication error for {TOKEN}"),
        ))
        .mount(&cf)
        .await;
    let client = PagesClient::new(settings(cf.uri())).unwrap();

    let err = client.deploy("empire-garden", &site()).await.unwrap_err();

    let text = err.to_string();
    assert!(
        matches!(
            err,
            CloudflareError::Api {
                status: 403,
                step: "read project",
                ..
            }
        ),
        "{text}"
    );
    assert!(text.contains("Authentication error"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
}

#[test]
fn settings_name_projects_and_hide_the_token() {
    let settings = settings("https://api.cloudflare.com/client/v4".into());
    assert!(settings.enabled());
    assert!(!CloudflareSettings::default().enabled());
    assert_eq!(settings.project_for("garden"), "empire-garden");
    assert!(settings.validate().is_ok());
    assert!(!format!("{settings:?}").contains(TOKEN));
    let bad = CloudflareSettings {
        project: "Empire_{slug}".into(),
        ..settings
    };
    assert_eq!(bad.validate().unwrap_err().0, "sites.cloudflare.project");
}

/// Everything before the deployment, for one small file Cloudflare already has.
async fn accepted_upload(cf: &MockServer, project_path: &str) {
    Mock::given(method("GET"))
        .and(path_regex(format!("^{project_path}(/upload-token)?$")))
        .respond_with(ok(json!({"jwt": "jwt-1", "name": "empire-garden"})))
        .mount(cf)
        .await;
    Mock::given(method("POST"))
        .and(path("/pages/assets/check-missing"))
        .respond_with(ok(json!([])))
        .mount(cf)
        .await;
    Mock::given(method("POST"))
        .and(path("/pages/assets/upsert-hashes"))
        .respond_with(ok(json!(null)))
        .mount(cf)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{project_path}/deployments")))
        .respond_with(ok(
            json!({"id": "dep-1", "latest_stage": {"name": "queued", "status": "idle"}}),
        ))
        .mount(cf)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_deployment_is_an_error_and_a_slow_one_is_reported_not_live() {
    let project_path = format!("/accounts/{ACCOUNT}/pages/projects/empire-garden");
    let cf = MockServer::start().await;
    accepted_upload(&cf, &project_path).await;
    stages(
        &cf,
        &project_path,
        &["initialize: active", "deploy: failure"],
    )
    .await;
    let client = PagesClient::new(settings(cf.uri())).unwrap();
    let error = client.deploy("empire-garden", &site()).await.unwrap_err();
    assert!(
        matches!(&error, CloudflareError::Failed { id, stage } if id == "dep-1" && stage == "deploy: failure"),
        "{error:?}"
    );

    let slow = MockServer::start().await;
    accepted_upload(&slow, &project_path).await;
    stages(&slow, &project_path, &["deploy: active"]).await;
    let client = PagesClient::new(CloudflareSettings {
        wait_ms: 50,
        ..settings(slow.uri())
    })
    .unwrap();
    let deployment = client.deploy("empire-garden", &site()).await.unwrap();
    assert!(!deployment.live);
    assert_eq!(deployment.stage, "deploy: active");
}
