//! Research notes and articles are searched like keywords and products: each is queued for the
//! index in the transaction that stores it, a deleted site's articles leave the index, and a
//! rebuild includes both.

use std::time::Duration;

use empire_actors::intelligence::data::rebuild;
use empire_schema::models::{NewWebsite, PlannedPage, SitePage, Website};
use empire_schema::types::{Language, PageKind, WebsiteStatus};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::cluster::eventually;
use crate::helpers::{TestApp, backends, spawn_app};

async fn hits(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let response = app
        .with(
            Method::GET,
            &format!("/api/v1/intelligence/search?{query}"),
            token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["hits"].as_array().cloned().unwrap_or_default()
}

async fn wait_for(app: &TestApp, token: &str, query: &str, count: usize, what: &str) {
    eventually(Duration::from_secs(20), what, || async {
        hits(app, token, query).await.len() == count
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn research_notes_and_articles_are_searched() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.admin_token().await;

        // A research task's note, on the offline provider.
        let response = app
            .with(
                Method::POST,
                "/api/v1/intelligence/research?wait_s=60",
                &token,
            )
            .json(&json!({"topic": "cordless lawnmowers", "language": "en", "depth": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{backend:?}");
        let query = "q=lawnmowers&type=research_note";
        wait_for(&app, &token, query, 1, "the research note indexed").await;
        assert_eq!(
            hits(&app, &token, query).await[0]["title"],
            "cordless lawnmowers"
        );

        // An article a person wrote through the API.
        let site = Website::create(
            &app.db,
            NewWebsite {
                slug: "garden".into(),
                name: "Garden".into(),
                niche: "gardening".into(),
                domain: None,
                language: Language::En,
                status: WebsiteStatus::Draft,
                settings: json!({}),
            },
        )
        .await
        .unwrap();
        let planned = PlannedPage {
            slug: "best-hedge-trimmers".into(),
            kind: PageKind::Article,
            article_type: None,
            keyword: "hedge trimmers".into(),
            category: None,
            title: "The best hedge trimmers".into(),
            position: 1,
        };
        SitePage::plan(&app.db, &site.id, vec![planned])
            .await
            .unwrap();
        let page = &SitePage::all(&app.db, &site.id).await.unwrap()[0];
        let query = "q=trimmers&type=article";
        // Planned but unwritten: not searched.
        assert!(hits(&app, &token, query).await.is_empty());
        let response = app
            .with(
                Method::PATCH,
                &format!("/api/v1/websites/{}/pages/{}", site.id, page.id),
                &token,
            )
            .json(&json!({"markdown": "Cordless hedge trimmers cut faster than corded ones."}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{backend:?}");
        wait_for(&app, &token, query, 1, "the article indexed").await;
        let found = &hits(&app, &token, query).await[0];
        assert_eq!(found["title"], "The best hedge trimmers");
        assert_eq!(found["website_id"], json!(site.id), "{found}");

        // A rebuild from the store keeps both.
        let search = &app.runtime.services().search;
        let indexed = rebuild(&app.db, search, |_| {}).await.unwrap();
        assert_eq!(indexed, 2, "{backend:?}");
        assert_eq!(hits(&app, &token, query).await.len(), 1);
        assert_eq!(hits(&app, &token, "q=lawnmowers").await.len(), 1);

        // Deleting the site takes its articles out of the index.
        Website::delete(&app.db, &site.id).await.unwrap();
        wait_for(&app, &token, query, 0, "the article removed").await;
    }
}
