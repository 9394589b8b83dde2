//! `kill -9` in the middle of a website pipeline: after a restart the run resumes from its last
//! finished step and the site ends published with exactly its planned pages, none twice.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::Value;

use super::garden_site;
use crate::crash::{get_json, node, token};
use crate::helpers::process::{KillOnDrop, signal, start_serve, stop, wait_within};
use crate::helpers::{TestDatabase, backends};

const PAGES: usize = 60;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_pipeline_resumes_without_duplicate_pages() {
    for backend in backends() {
        let database = TestDatabase::create(backend).await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("crash.toml"),
            "[tasks]\nlease_ms = 2000\nrenew_ms = 500\nreap_ms = 200\npoll_ms = 100\n",
        )
        .unwrap();
        let client = Client::new();
        let (first, port) = start_serve(node(dir.path(), &database.url));
        let first = KillOnDrop(Some(first));
        let base = format!("http://127.0.0.1:{port}");
        let bearer = token(&client, &base).await;
        let mut body = garden_site("absturz");
        body["pages"] = PAGES.into();
        let run: Value = client
            .post(format!("{base}/api/v1/websites/generate"))
            .bearer_auth(&bearer)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let website_id = run["website_id"].as_str().unwrap().to_owned();
        let workflow_id = run["workflow_id"].as_str().unwrap().to_owned();

        // Kill once the plan is stored and before the run has ended.
        let started = Instant::now();
        loop {
            let workflow = get_json(
                &client,
                &format!("{base}/api/v1/workflows/{workflow_id}"),
                &bearer,
            )
            .await;
            let planned = workflow["steps"][1]["status"] == "succeeded";
            assert_eq!(
                workflow["status"], "running",
                "the run ended before the kill: {workflow:#}"
            );
            if planned {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no plan after a minute"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut first = first.take();
        signal(&first, "-KILL");
        wait_within(&mut first, Duration::from_secs(5));

        let (second, port) = start_serve(node(dir.path(), &database.url));
        let second = KillOnDrop(Some(second));
        let base = format!("http://127.0.0.1:{port}");
        let bearer = token(&client, &base).await;
        let started = Instant::now();
        let workflow = loop {
            let workflow = get_json(
                &client,
                &format!("{base}/api/v1/workflows/{workflow_id}"),
                &bearer,
            )
            .await;
            if workflow["status"] != "running" {
                break workflow;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "{workflow:#}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!(workflow["status"], "succeeded", "{backend:?} {workflow:#}");
        let pages = get_json(
            &client,
            &format!("{base}/api/v1/websites/{website_id}/pages?limit=200"),
            &bearer,
        )
        .await;
        let pages = pages["items"].as_array().unwrap();
        assert_eq!(pages.len(), PAGES);
        let slugs: HashSet<&str> = pages.iter().map(|p| p["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs.len(), PAGES, "no page twice");
        assert!(pages.iter().all(|page| page["written"] == true));
        let site = get_json(
            &client,
            &format!("{base}/api/v1/websites/{website_id}"),
            &bearer,
        )
        .await;
        assert_eq!(site["status"], "published", "{site}");
        stop(second.take());
    }
}
