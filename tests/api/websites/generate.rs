//! `POST /api/v1/websites/generate` on the offline provider: the pipeline plans, writes,
//! monetises, builds, audits and publishes the site, which the front door then serves.

use reqwest::Method;
use serde_json::Value;

use super::garden_site;
use crate::helpers::{backends, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generating_a_website_runs_the_pipeline_and_publishes_it() {
    for backend in backends() {
        // Our AWIN publisher id: without it no tracking link can be built for the offer.
        let app = spawn_app_with(backend, |config| {
            config.sites.affiliate.awin_publisher_id = "123456".into();
        })
        .await;
        let admin = app.admin_token().await;
        let (website_id, workflow_id) = app.generate_site(&admin, &garden_site("garten")).await;
        let site = app
            .json(&admin, &format!("/api/v1/websites/{website_id}"))
            .await;
        assert_eq!(site["slug"], "garten");
        assert_eq!(site["language"], "de");
        assert_eq!(site["workflow_id"], workflow_id.as_str());
        assert!(
            ["draft", "building"].contains(&site["status"].as_str().unwrap()),
            "{site}"
        );

        let workflow = app.wait_workflow(&admin, &workflow_id).await;
        assert_eq!(workflow["status"], "succeeded", "{backend:?} {workflow:#}");
        assert_eq!(workflow["output"]["published"], true, "{workflow:#}");
        let site = app
            .json(&admin, &format!("/api/v1/websites/{website_id}"))
            .await;
        assert_eq!(site["status"], "published", "{site}");
        assert!(site["status_reason"].is_null());
        let live = site["published_build_id"].as_str().unwrap().to_owned();

        let pages = app
            .json(
                &admin,
                &format!("/api/v1/websites/{website_id}/pages?limit=200"),
            )
            .await;
        let pages = pages["items"].as_array().unwrap().clone();
        assert_eq!(pages.len(), 8, "{pages:#?}");
        assert!(pages.iter().all(|page| page["written"] == true));
        assert!(pages.iter().any(|page| page["kind"] == "home"));
        assert!(
            pages.iter().any(|page| page["monetised"] == true),
            "the offer is linked"
        );
        let article = pages.iter().find(|page| page["kind"] == "article").unwrap();
        let detail = app
            .json(
                &admin,
                &format!(
                    "/api/v1/websites/{website_id}/pages/{}",
                    article["id"].as_str().unwrap()
                ),
            )
            .await;
        assert!(
            detail["markdown"].as_str().unwrap().starts_with("---\n"),
            "{detail}"
        );
        assert_eq!(detail["ai_generated"], true);

        let builds = app
            .json(&admin, &format!("/api/v1/websites/{website_id}/builds"))
            .await;
        let published: Vec<&Value> = builds["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|build| build["status"] == "published")
            .collect();
        assert_eq!(published.len(), 1, "{builds:#}");
        assert_eq!(published[0]["id"], live.as_str());
        assert_eq!(published[0]["gate_passed"], true);

        // The front door serves the published site.
        let home = app
            .client
            .get(app.url("/sites/garten/"))
            .send()
            .await
            .unwrap();
        assert_eq!(home.status(), 200);
        assert!(
            home.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = home.text().await.unwrap();
        assert!(
            html.to_ascii_lowercase().starts_with("<!doctype html>"),
            "{html}"
        );
        assert!(html.contains(r#"<html lang="de""#));
        assert!(html.contains(r#"data-ai-generated="true""#));
        assert!(html.contains(r#"rel="canonical""#));
        let monetised = pages.iter().find(|page| page["monetised"] == true).unwrap();
        let path = monetised_path(monetised);
        let page_html = app
            .client
            .get(app.url(&format!("/sites/garten/{path}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page_html.contains("Anzeige:"), "{page_html}");
        assert!(
            page_html.contains(r#"rel="sponsored nofollow""#),
            "{page_html}"
        );
        assert!(page_html.contains("/go/"), "{page_html}");

        // The run made exactly its planned pages: no duplicates.
        let again = app
            .with(
                Method::GET,
                &format!("/api/v1/websites/{website_id}/pages?limit=5"),
                &admin,
            )
            .send()
            .await
            .unwrap();
        let first_page: Value = again.json().await.unwrap();
        assert_eq!(first_page["items"].as_array().unwrap().len(), 5);
        assert!(first_page["next_cursor"].is_string());
    }
}

/// Where a page is served below its site: `category/slug/` for articles, `slug/` otherwise.
fn monetised_path(page: &Value) -> String {
    let slug = page["slug"].as_str().unwrap();
    match page["category"].as_str() {
        Some(category) => format!("{category}/{slug}/"),
        None if slug.is_empty() => String::new(),
        None => format!("{slug}/"),
    }
}
