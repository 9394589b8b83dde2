//! The website factory through HTTP: generating a site runs the whole pipeline on the offline
//! provider; pages, edits, rebuilds, builds and rollback; bad input refused with the field.

mod crash;
mod edits;
mod generate;
mod refusals;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// How long a whole pipeline may take in a test (debug build, shared 2-core machine).
const PIPELINE_WAIT: Duration = Duration::from_secs(120);

/// A generate request for a small German site with one offer.
pub fn garden_site(slug: &str) -> Value {
    json!({
        "niche": "Gartenwerkzeug",
        "language": "de",
        "slug": slug,
        "pages": 8,
        "legal": {
            "owner_name": "Erika Muster",
            "address_lines": ["Musterweg 1", "12345 Musterstadt"],
            "email": "kontakt@garten.example"
        },
        "offers": [{
            "network": "awin",
            "name": "Gardena Spaten Pro",
            "url": "https://www.gardena.example/spaten",
            "advertiser_id": "1001",
            "price": 29.99,
            "currency": "EUR"
        }]
    })
}

impl TestApp {
    /// Starts a website; returns `(website_id, workflow_id)`.
    pub async fn generate_site(&self, token: &str, body: &Value) -> (String, String) {
        let response = self
            .with(Method::POST, "/api/v1/websites/generate", token)
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202, "generating {body}");
        let run: Value = response.json().await.unwrap();
        (
            run["website_id"].as_str().unwrap().to_owned(),
            run["workflow_id"].as_str().unwrap().to_owned(),
        )
    }

    /// The workflow once it has ended; panics after [`PIPELINE_WAIT`].
    pub async fn wait_workflow(&self, token: &str, id: &str) -> Value {
        let started = Instant::now();
        loop {
            let workflow = self.json(token, &format!("/api/v1/workflows/{id}")).await;
            if workflow["status"] != "running" {
                return workflow;
            }
            assert!(
                started.elapsed() < PIPELINE_WAIT,
                "workflow {id} still running: {workflow:#}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// GET `path` answering 200; its body.
    pub async fn json(&self, token: &str, path: &str) -> Value {
        let response = self.with(Method::GET, path, token).send().await.unwrap();
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }
}
