//! The search round trip on each backend: rows written with their outbox entries, applied by the
//! node's feeder, found through HTTP; and a fresh index catching up from the outbox.

use std::time::Duration;

use empire_actors::intelligence::data::SearchService;
use reqwest::Method;
use serde_json::Value;

use super::{FEED, KEYWORDS, feed_in, keywords_in};
use crate::helpers::auth::problem;
use crate::helpers::cluster::eventually;
use crate::helpers::{backends, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_rows_reach_the_index_through_the_outbox() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app
            .user_with("analyst@example.com", &["intelligence.use"])
            .await;
        keywords_in(&app.db, Some(&app), KEYWORDS, "sport").await;
        feed_in(&app.db, Some(&app), FEED).await;

        let search = |query: &'static str| {
            let request = app.with(
                Method::GET,
                &format!("/api/v1/intelligence/search?{query}"),
                &token,
            );
            async move {
                let response = request.send().await.unwrap();
                assert_eq!(response.status(), 200);
                response.json::<Value>().await.unwrap()
            }
        };
        eventually(
            Duration::from_secs(20),
            "keywords and products indexed",
            || async {
                let keywords = search("q=running&type=keyword").await;
                let products = search("q=espresso&type=product&language=en").await;
                keywords["hits"]
                    .as_array()
                    .is_some_and(|hits| hits.len() == 2)
                    && products["hits"]
                        .as_array()
                        .is_some_and(|hits| hits.len() == 1)
            },
        )
        .await;
        let hits = search("q=espresso&type=product&language=en").await;
        assert_eq!(
            hits["hits"][0]["title"], "Espresso machine Deluxe",
            "{backend:?}"
        );
        assert_eq!(hits["hits"][0]["type"], "product");
        let none = search("q=espresso&type=keyword").await;
        assert_eq!(none["hits"], serde_json::json!([]));

        // A fresh index (a node that joins, or lost its directory) catches up from the outbox.
        let fresh = SearchService::open(None).unwrap();
        assert_eq!(fresh.catch_up(&app.db).await.unwrap(), 6);
        assert_eq!(fresh.num_docs(), 6);
        assert_eq!(fresh.catch_up(&app.db).await.unwrap(), 0, "nothing twice");

        let bad = app
            .with(
                Method::GET,
                "/api/v1/intelligence/search?q=x&type=video",
                &token,
            )
            .send()
            .await
            .unwrap();
        let body = problem(bad, 422).await;
        assert_eq!(body["errors"][0]["field"], "type");
        let blank = app
            .with(Method::GET, "/api/v1/intelligence/search?q=%20", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(problem(blank, 422).await["errors"][0]["field"], "q");
    }
}
