//! Test services for the factory kinds: a migrated SQLite file and a sites folder, both in a
//! temporary directory, with the offline LLM provider.

use std::path::PathBuf;
use std::time::Duration;

use empire_schema::{DatabaseUrl, Db, DbOptions};

use super::sites::{SiteSettings, Sites};
use crate::intelligence::data::{GraphService, SearchService};
use crate::intelligence::llm::{GatewayOptions, Llm, LlmSettings};
use crate::intelligence::web::{Fetcher, WebSettings};
use crate::services::Services;

pub struct TestServices {
    pub services: Services,
    pub dir: tempfile::TempDir,
}

impl TestServices {
    pub fn sites_dir(&self) -> PathBuf {
        self.dir.path().join("sites")
    }
}

/// Services over a fresh database; `adjust` may change the `[sites]` settings first.
pub async fn services(adjust: impl FnOnce(&mut SiteSettings)) -> TestServices {
    let dir = tempfile::tempdir().unwrap();
    let url: DatabaseUrl = format!("sqlite://{}", dir.path().join("empire.db").display())
        .parse()
        .unwrap();
    empire_schema::migrate::run_pending(&url).await.unwrap();
    let db = Db::connect(&DbOptions {
        url,
        pool_size: 2,
        connect_timeout: Duration::from_secs(10),
    })
    .await
    .unwrap();
    let mut settings = SiteSettings {
        public_url: "http://127.0.0.1:9".into(),
        ..SiteSettings::default()
    };
    adjust(&mut settings);
    let sites = Sites::new(settings, dir.path().join("sites"));
    let llm = Llm::start(
        LlmSettings::default(),
        db.clone(),
        None,
        GatewayOptions::default(),
    )
    .unwrap();
    let services = Services::new(
        db.clone(),
        llm,
        // The tests' fake servers listen on loopback.
        Fetcher::new(WebSettings {
            allow_loopback: true,
            ..WebSettings::default()
        })
        .unwrap(),
        SearchService::open(None).unwrap(),
        GraphService::load(db).await.unwrap(),
        sites,
    );
    TestServices { services, dir }
}
