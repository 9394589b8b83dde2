//! `publish_site` over a real SQLite store, a temporary sites folder and fake Cloudflare and
//! IndexNow servers on 127.0.0.1.

use std::fs;

use empire_schema::types::BuildStatus;
use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::website_builder::build_site;
use crate::website_builder::build_site::tests::seeded_site;
use crate::website_builder::site::BuildManifest;
use crate::website_builder::testing::services;

async fn built(services: &Services, website_id: &str) -> String {
    build_site::build(services, website_id)
        .await
        .unwrap()
        .build_id
}

async fn publish_json(services: &Services, website_id: &str, build_id: &str) -> Value {
    run(
        services.clone(),
        json!({"website_id": website_id, "build_id": build_id}),
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unaudited_or_failed_build_is_refused_and_the_site_marked_failed() {
    let test = services(|_| {}).await;
    let db = &test.services.db;
    let site = seeded_site(&test.services).await;
    let build_id = built(&test.services, &site.id).await;

    let output = publish_json(&test.services, &site.id, &build_id).await;
    assert_eq!(output["published"], false);
    assert!(
        output["reason"].as_str().unwrap().contains("SEO audit"),
        "{output}"
    );

    let report = json!({"passed": false, "score": 40, "failures": [{"page": "best-shears", "checks": ["one_h1"]}]});
    SiteBuild::set_gate(db, &build_id, false, report)
        .await
        .unwrap();
    let output = publish_json(&test.services, &site.id, &build_id).await;
    assert_eq!(output["published"], false);
    let row = Website::get(db, &site.id).await.unwrap();
    assert_eq!(row.status, WebsiteStatus::Failed);
    let reason = row.status_reason.unwrap();
    assert!(reason.contains("best-shears [one_h1]"), "{reason}");
    assert_eq!(row.published_build_id, None);
    assert_eq!(test.services.sites.store.current("garden").unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passed_build_goes_live_everywhere_configured_and_old_builds_are_pruned() {
    let cloudflare = MockServer::start().await;
    Mock::given(path_regex(
        "^/accounts/acc/pages/projects/empire-garden(/upload-token)?$",
    ))
    .and(method("GET"))
    .respond_with(ResponseTemplate::new(200).set_body_json(
        json!({"success": true, "errors": [], "result": {"jwt": "jwt-1", "name": "empire-garden"}}),
    ))
    .mount(&cloudflare)
    .await;
    Mock::given(path_regex("^/pages/assets/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "errors": [], "result": []})),
        )
        .mount(&cloudflare)
        .await;
    Mock::given(path("/accounts/acc/pages/projects/empire-garden/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"success": true, "errors": [], "result": {"id": "dep-9", "url": "https://x.empire-garden.pages.dev", "latest_stage": {"name": "deploy", "status": "success"}}}),
        ))
        .expect(2)
        .mount(&cloudflare)
        .await;
    let engine = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&engine)
        .await;
    let www = tempfile::tempdir().unwrap();
    let (cf_url, engine_url, www_dir) = (cloudflare.uri(), engine.uri(), www.path().to_owned());
    let test = services(move |settings| {
        settings.keep_builds = 1;
        settings.deploy_dir = www_dir.display().to_string();
        settings.cloudflare.api_url = cf_url;
        settings.cloudflare.account_id = "acc".into();
        settings.cloudflare.api_token = "token".into();
        settings.indexnow.enabled = true;
        settings.indexnow.key = "garden-key-0001".into();
        settings.indexnow.endpoint = engine_url;
    })
    .await;
    let db = &test.services.db;
    let site = seeded_site(&test.services).await;
    let first = built(&test.services, &site.id).await;
    SiteBuild::set_gate(db, &first, true, json!({"passed": true}))
        .await
        .unwrap();

    let output = publish_json(&test.services, &site.id, &first).await;

    assert_eq!(output["published"], true, "{output}");
    assert_eq!(
        output["targets"],
        json!(["front_door", "directory", "cloudflare"])
    );
    assert_eq!(output["indexnow"]["submitted"], 5, "{output}");
    let row = Website::get(db, &site.id).await.unwrap();
    assert_eq!(row.status, WebsiteStatus::Published);
    assert_eq!(row.published_build_id.as_deref(), Some(first.as_str()));
    let store = &test.services.sites.store;
    assert_eq!(store.current("garden").unwrap().unwrap().as_str(), first);
    let live = BuildManifest::of_dir(&store.current_dir("garden").unwrap()).unwrap();
    assert_eq!(
        BuildManifest::of_dir(&www.path().join("garden")).unwrap(),
        live
    );
    let pings = engine.received_requests().await.unwrap();
    let ping: Value = serde_json::from_slice(&pings[0].body).unwrap();
    assert_eq!(
        ping["keyLocation"],
        "http://127.0.0.1:9/sites/garden/key.txt"
    );
    assert!(ping["urlList"].as_array().unwrap().contains(&json!(
        "http://127.0.0.1:9/sites/garden/shears/best-shears/"
    )));

    let second = built(&test.services, &site.id).await;
    SiteBuild::set_gate(db, &second, true, json!({"passed": true}))
        .await
        .unwrap();
    let output = publish_json(&test.services, &site.id, &second).await;
    assert_eq!(output["pruned"], json!([first]));
    let old = SiteBuild::get(db, &site.id, &first).await.unwrap();
    assert_eq!(old.status, BuildStatus::Pruned);
    assert!(!test.sites_dir().join("garden/builds").join(&first).exists());
    assert_eq!(
        SiteBuild::get(db, &site.id, &second).await.unwrap().status,
        BuildStatus::Published
    );
    let served = fs::read_to_string(www.path().join("garden/key.txt")).unwrap();
    assert_eq!(served, "garden-key-0001");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_builds_and_bad_ids_are_refused() {
    let test = services(|_| {}).await;
    let site = seeded_site(&test.services).await;
    let err = run(
        test.services.clone(),
        json!({"website_id": site.id, "build_id": "0000"}),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err,
        KindError::Failed(format!("unknown build 0000 of website {}", site.id))
    );
    let bad = run(
        test.services.clone(),
        json!({"website_id": site.id, "build_id": "../x"}),
    )
    .await;
    assert!(matches!(bad, Err(KindError::InvalidInput(_))), "{bad:?}");
}
