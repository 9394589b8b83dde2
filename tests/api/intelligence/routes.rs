//! The seed's routes through HTTP: an opportunity scan over imported keywords and products,
//! keyword trends (imported and from the sites' own analytics), and who may call them.

use chrono::{Duration, Utc};
use empire_schema::models::{Click, PageViews};
use reqwest::Method;
use serde_json::{Value, json};

use super::{FEED, KEYWORDS, feed_in, keywords_in};
use crate::helpers::auth::problem;
use crate::helpers::{backends, spawn_app};

const COFFEE: &str = "Keyword,Volume,CPC,Keyword Difficulty\nespresso machine,9000,0.80,30\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opportunity_scan_ranks_niches_with_evidence_and_records_them_in_the_graph() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        keywords_in(&app.db, Some(&app), KEYWORDS, "running shoes").await;
        keywords_in(&app.db, Some(&app), COFFEE, "espresso").await;
        feed_in(&app.db, Some(&app), FEED).await;
        let token = app
            .user_with("scout@example.com", &["intelligence.use"])
            .await;

        let response = app
            .with(Method::POST, "/api/v1/intelligence/opportunity-scan?wait_s=60", &token)
            .json(&json!({ "programmes": [{ "merchant_id": "2002", "commission_rate": 0.1, "epc_cents": 30 }] }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{backend:?}");
        let task: Value = response.json().await.unwrap();
        assert_eq!(task["status"], "succeeded", "{task}");
        let ranked = task["result"]["opportunities"].as_array().unwrap();
        let niches: Vec<&str> = ranked
            .iter()
            .map(|o| o["niche"].as_str().unwrap())
            .collect();
        assert_eq!(niches.len(), 2);
        assert_eq!(ranked[0]["score"], 100.0);
        assert_eq!(ranked[0]["rank"], 1);
        let running = ranked
            .iter()
            .find(|o| o["niche"] == "running shoes")
            .unwrap();
        assert_eq!(running["evidence"]["keywords"], 3);
        assert_eq!(running["evidence"]["products"], 2);
        assert_eq!(running["factors"]["demand"], 51700.0);

        // The niche is now a graph node with its keywords and products.
        let node_id = running["node_id"].as_str().unwrap();
        let node: Value = app
            .with(
                Method::GET,
                &format!("/api/v1/intelligence/graph/nodes/{node_id}"),
                &token,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(node["node"]["kind"], "niche");
        assert_eq!(node["neighbours"].as_array().unwrap().len(), 5, "{node}");

        // Not waiting: 202 with the task to poll.
        let queued = app
            .with(
                Method::POST,
                "/api/v1/intelligence/opportunity-scan?wait_s=0",
                &token,
            )
            .send()
            .await
            .unwrap();
        assert!([200, 202].contains(&queued.status().as_u16()));
        let bad = app
            .with(
                Method::POST,
                "/api/v1/intelligence/opportunity-scan",
                &token,
            )
            .json(&json!({ "weights": { "demand": 9 } }))
            .send()
            .await
            .unwrap();
        problem(bad, 422).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trends_list_rising_and_falling_keywords_with_their_series() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        keywords_in(&app.db, None, KEYWORDS, "running").await;
        let token = app
            .user_with("trends@example.com", &["intelligence.use"])
            .await;
        let response = app
            .with(
                Method::GET,
                "/api/v1/intelligence/trends?industry=running&period=90d",
                &token,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{backend:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["latest_month"], "2025-03");
        assert_eq!(body["rising"][0]["keyword"], "running shoes");
        assert_eq!(body["rising"][0]["change"], 20000);
        assert_eq!(body["rising"][0]["series"].as_array().unwrap().len(), 3);
        assert_eq!(body["falling"][0]["keyword"], "trail running shoes");
        assert_eq!(
            body["falling"][0]["series"][2],
            json!({ "month": "2025-03", "volume": 4000 })
        );
        assert_eq!(
            body["rising"].as_array().unwrap().len(),
            1,
            "flat keywords are neither"
        );

        // 30d compares the last two months.
        let month: Value = app
            .with(
                Method::GET,
                "/api/v1/intelligence/trends?period=30d",
                &token,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(month["rising"][0]["change"], 15000);

        let bad = app
            .with(Method::GET, "/api/v1/intelligence/trends?period=1y", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(problem(bad, 422).await["errors"][0]["field"], "period");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trends_include_the_sites_own_views_and_clicks_per_page_keyword() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        // Coffee Corner's page `grinders` targets "coffee grinder".
        let link = crate::go::link(&app.db).await;
        let day = |ago: i64| {
            (Utc::now() - Duration::days(ago))
                .format("%Y-%m-%d")
                .to_string()
        };
        let views = |path: &str, ago: i64, views: i64| PageViews {
            website_id: link.website_id.clone(),
            path: path.into(),
            day: day(ago),
            views,
        };
        PageViews::add(
            &app.db,
            &[
                views("/sites/coffee-corner/grinders/", 5, 2),
                views("/sites/coffee-corner/grinders/", 0, 9),
                // Before the 7-day window, and a path that is no page: not counted.
                views("/sites/coffee-corner/grinders/", 8, 50),
                views("/sites/coffee-corner/", 0, 70),
            ],
        )
        .await
        .unwrap();
        Click::record(&app.db, &link, None).await.unwrap();
        let token = app
            .user_with("site-trends@example.com", &["intelligence.use"])
            .await;
        let trends = |query: &'static str| {
            let app = &app;
            let token = &token;
            async move {
                let response = app
                    .with(
                        Method::GET,
                        &format!("/api/v1/intelligence/trends?{query}"),
                        token,
                    )
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200, "{query}");
                response.json::<Value>().await.unwrap()
            }
        };

        let body = trends("industry=coffee&period=7d").await;
        let site = &body["site"];
        assert_eq!(
            (site["since"].as_str(), site["until"].as_str()),
            (Some(day(6).as_str()), Some(day(0).as_str()))
        );
        let grinder = &site["rising"][0];
        assert_eq!(grinder["keyword"], "coffee grinder", "{backend:?}: {body}");
        assert_eq!(
            (grinder["views"].as_i64(), grinder["clicks"].as_i64()),
            (Some(11), Some(1))
        );
        // Earlier half (days 6..4 ago): 2; later half (days 2..0 ago): 9 views and 1 click.
        assert_eq!(
            (grinder["change"].as_i64(), grinder["change_pct"].as_f64()),
            (Some(8), Some(400.0))
        );
        assert_eq!(grinder["series"].as_array().unwrap().len(), 7);
        assert_eq!(
            grinder["series"][6],
            json!({ "day": day(0), "views": 9, "clicks": 1 })
        );
        assert_eq!(site["falling"], json!([]));

        // Another industry does not see it; 90 days count the older views too (all earlier).
        let other = trends("industry=espresso&period=7d").await;
        assert_eq!(other["site"]["rising"], json!([]));
        let quarter = trends("industry=coffee&period=90d").await;
        assert_eq!(quarter["site"]["rising"][0]["views"], 61);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intelligence_routes_need_intelligence_use() {
    let app = spawn_app(backends()[0]).await;
    let reader = app.user_with("reader@example.com", &["agents.read"]).await;
    for (method, path) in [
        (Method::GET, "/api/v1/intelligence/search?q=x"),
        (Method::GET, "/api/v1/intelligence/trends"),
        (Method::POST, "/api/v1/intelligence/opportunity-scan"),
        (Method::GET, "/api/v1/intelligence/graph/related?niche=x"),
    ] {
        let response = app.with(method, path, &reader).send().await.unwrap();
        problem(response, 403).await;
    }
}
