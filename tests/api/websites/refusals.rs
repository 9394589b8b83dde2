//! Bad input gets 422 naming the field and creates nothing; reading needs websites.read and
//! changing needs websites.manage.

use reqwest::Method;
use serde_json::{Value, json};

use super::garden_site;
use crate::helpers::auth::problem;
use crate::helpers::{backends, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_names_the_field_and_creates_nothing() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let admin = app.admin_token().await;
        let mut first = garden_site("garten");
        first["domain"] = json!("garten.example");
        app.generate_site(&admin, &first).await;

        let cases = [
            (json!({"niche": "x y", "language": "fr"}), "language"),
            (
                json!({"niche": "garden", "language": "en", "pages": 4}),
                "pages",
            ),
            (
                json!({"niche": "garden", "language": "en", "pages": 201}),
                "pages",
            ),
            (json!({"niche": "g", "language": "en"}), "niche"),
            (
                json!({"niche": "garden", "language": "en", "slug": "garten"}),
                "slug",
            ),
            (
                json!({"niche": "garden", "language": "en", "slug": "Not A Slug"}),
                "slug",
            ),
            (
                json!({"niche": "garden", "language": "en", "domain": "Garten.Example"}),
                "domain",
            ),
            (
                json!({"niche": "garden", "language": "en", "domain": "not a host"}),
                "domain",
            ),
            (
                json!({"niche": "garden", "language": "en", "theme": "neon"}),
                "theme",
            ),
            (
                json!({"niche": "garden", "language": "en", "offers": [{"network": "awin", "name": "A", "url": "javascript:alert(1)"}]}),
                "offers[0].url",
            ),
            (
                json!({"niche": "garden", "language": "en", "offers": [{"network": "ebay", "name": "A", "url": "https://a.example"}]}),
                "offers[0].network",
            ),
        ];
        for (body, field) in cases {
            let response = app
                .with(Method::POST, "/api/v1/websites/generate", &admin)
                .json(&body)
                .send()
                .await
                .unwrap();
            let body = problem(response, 422).await;
            assert_eq!(body["errors"][0]["field"], field, "{body}");
        }
        let sites = app.json(&admin, "/api/v1/websites").await;
        assert_eq!(sites["items"].as_array().unwrap().len(), 1, "{sites}");

        // Unknown ids are 404, and paging is checked like every list.
        let missing = app
            .with(
                Method::GET,
                "/api/v1/websites/0193a4c2-7d1e-7c3a-9f4e-2b8d6a1c5e70",
                &admin,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
        let bad_offset = app
            .with(Method::GET, "/api/v1/websites?offset=-1", &admin)
            .send()
            .await
            .unwrap();
        assert_eq!(
            problem(bad_offset, 422).await["errors"][0]["field"],
            "offset"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_and_changing_websites_need_their_permissions() {
    let app = spawn_app(backends()[0]).await;
    let reader = app
        .user_with("reader@example.com", &["websites.read"])
        .await;
    let listed = app
        .with(Method::GET, "/api/v1/websites?limit=50&offset=0", &reader)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    let listed: Value = listed.json().await.unwrap();
    assert_eq!(listed["items"], json!([]));
    let refused = app
        .with(Method::POST, "/api/v1/websites/generate", &reader)
        .json(&garden_site("garten"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let agents_only = app.user_with("agent@example.com", &["agents.manage"]).await;
    let refused = app
        .with(Method::GET, "/api/v1/websites", &agents_only)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}
