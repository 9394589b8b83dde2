//! Services over a temp SQLite database and a temp sites folder, and rows to put in them, for
//! the website factory's service-level tests.

use crate::intelligence::data::article_doc;
use std::time::Duration;

use empire_schema::models::{NewWebsite, PlannedPage, SitePage, Website, WrittenPage};
use empire_schema::types::{ArticleType, Language, PageKind};
use empire_schema::{DatabaseUrl, Db, DbOptions, WebsiteStatus, migrate};
use serde_json::{Value, json};

use crate::intelligence::data::{GraphService, SearchService};
use crate::intelligence::llm::Llm;
use crate::intelligence::web::{Fetcher, WebSettings};
use crate::services::Services;
use crate::website_builder::sites::{SiteSettings, Sites};

pub(crate) struct Env {
    pub services: Services,
    _dir: tempfile::TempDir,
}

impl Env {
    pub fn db(&self) -> &Db {
        &self.services.db
    }
}

pub(crate) async fn env(settings: SiteSettings) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::Sqlite(dir.path().join("test.db"));
    migrate::run_pending(&url).await.unwrap();
    let db = Db::connect(&DbOptions {
        url,
        pool_size: 2,
        connect_timeout: Duration::from_secs(10),
    })
    .await
    .unwrap();
    let services = Services::new(
        db.clone(),
        Llm::offline(db.clone()).unwrap(),
        Fetcher::new(WebSettings::default()).unwrap(),
        SearchService::open(None).unwrap(),
        GraphService::load(db).await.unwrap(),
        Sites::new(settings, dir.path().join("sites")),
    );
    Env {
        services,
        _dir: dir,
    }
}

pub(crate) async fn website(db: &Db, slug: &str, niche: &str, language: Language) -> Website {
    Website::create(
        db,
        NewWebsite {
            slug: slug.into(),
            name: format!("{niche} site"),
            niche: niche.into(),
            domain: None,
            language,
            status: WebsiteStatus::Building,
            settings: json!({}),
        },
    )
    .await
    .unwrap()
}

/// A page of the site with its text written; `markdown` empty leaves it planned only.
pub(crate) async fn page(
    db: &Db,
    website_id: &str,
    slug: &str,
    kind: PageKind,
    markdown: &str,
    products: Value,
) -> SitePage {
    let position = i64::try_from(SitePage::all(db, website_id).await.unwrap().len()).unwrap();
    SitePage::plan(
        db,
        website_id,
        vec![PlannedPage {
            slug: slug.into(),
            kind,
            article_type: (kind == PageKind::Article).then_some(ArticleType::Review),
            keyword: slug.replace('-', " "),
            category: None,
            title: format!("Page {slug}"),
            position,
        }],
    )
    .await
    .unwrap();
    let planned = SitePage::all(db, website_id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.slug == slug)
        .unwrap();
    if !markdown.is_empty() {
        let written = WrittenPage {
            title: planned.title.clone(),
            meta_description: format!("All about {slug}."),
            markdown: markdown.into(),
            products,
            faq: json!([]),
            ai_generated: true,
            signature: None,
        };
        assert!(
            SitePage::write(db, &planned.id, written, article_doc)
                .await
                .unwrap()
        );
    }
    SitePage::get(db, website_id, &planned.id).await.unwrap()
}
