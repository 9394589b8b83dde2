//! A person's edit survives a rebuild, and a rollback puts an earlier build back byte for byte.

use reqwest::Method;
use serde_json::{Value, json};

use super::garden_site;
use crate::helpers::{backends, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_survives_a_rebuild_and_a_rollback_restores_the_earlier_build() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let admin = app.admin_token().await;
        let (website_id, workflow_id) = app.generate_site(&admin, &garden_site("beet")).await;
        let first = app.wait_workflow(&admin, &workflow_id).await;
        assert_eq!(first["status"], "succeeded", "{backend:?} {first:#}");
        let first_build = first["output"]["build_id"].as_str().unwrap().to_owned();
        let before = app
            .client
            .get(app.url("/sites/beet/"))
            .send()
            .await
            .unwrap();
        let before = before.bytes().await.unwrap();

        let home = home_page(&app, &admin, &website_id).await;
        let home_id = home["id"].as_str().unwrap();
        let edited_text = "---\ntitle: Handverlesen\n---\n# Handverlesen\n\nVon Hand geschrieben: Gartenwerkzeug, das hält.\n";
        let patched = app
            .with(
                Method::PATCH,
                &format!("/api/v1/websites/{website_id}/pages/{home_id}"),
                &admin,
            )
            .json(&json!({ "markdown": edited_text }))
            .send()
            .await
            .unwrap();
        assert_eq!(patched.status(), 200);
        let patched: Value = patched.json().await.unwrap();
        assert!(patched["edited_at"].is_string());

        let rebuild = app
            .with(
                Method::POST,
                &format!("/api/v1/websites/{website_id}/rebuild"),
                &admin,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(rebuild.status(), 202);
        let rebuild: Value = rebuild.json().await.unwrap();
        let second = app
            .wait_workflow(&admin, rebuild["workflow_id"].as_str().unwrap())
            .await;
        assert_eq!(second["status"], "succeeded", "{second:#}");
        let second_build = second["output"]["build_id"].as_str().unwrap().to_owned();
        assert_ne!(second_build, first_build);

        let kept = home_page(&app, &admin, &website_id).await;
        let kept = app
            .json(
                &admin,
                &format!(
                    "/api/v1/websites/{website_id}/pages/{}",
                    kept["id"].as_str().unwrap()
                ),
            )
            .await;
        assert_eq!(kept["markdown"], edited_text, "the rebuild kept the edit");
        let served = app
            .client
            .get(app.url("/sites/beet/"))
            .send()
            .await
            .unwrap();
        assert!(
            served
                .text()
                .await
                .unwrap()
                .contains("Von Hand geschrieben")
        );

        let rollback = app
            .with(
                Method::POST,
                &format!("/api/v1/websites/{website_id}/builds/{first_build}/rollback"),
                &admin,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(rollback.status(), 200);
        let site = app
            .json(&admin, &format!("/api/v1/websites/{website_id}"))
            .await;
        assert_eq!(site["published_build_id"], first_build.as_str());
        let after = app
            .client
            .get(app.url("/sites/beet/"))
            .send()
            .await
            .unwrap();
        assert_eq!(after.bytes().await.unwrap(), before, "byte for byte");

        // A build that does not exist is a 404; deleting the site takes its pages and files.
        let unknown = app
            .with(
                Method::POST,
                &format!("/api/v1/websites/{website_id}/builds/0193a4c2-7d1e-7c3a-9f4e-2b8d6a1c5e70/rollback"),
                &admin,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404);
        let deleted = app
            .with(
                Method::DELETE,
                &format!("/api/v1/websites/{website_id}"),
                &admin,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
        let gone = app
            .client
            .get(app.url("/sites/beet/"))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 404);
    }
}

async fn home_page(app: &crate::helpers::TestApp, token: &str, website_id: &str) -> Value {
    let pages = app
        .json(
            token,
            &format!("/api/v1/websites/{website_id}/pages?limit=200"),
        )
        .await;
    pages["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|page| page["kind"] == "home")
        .cloned()
        .unwrap()
}
