//! The pipeline's first three kinds against a real temp SQLite store and the node's services.

use crate::intelligence::data::article_doc;
use std::collections::BTreeMap;

use empire_schema::models::{NewKeyword, NewOffer, NewWebsite, Offer, PageEdit, SitePage, Website};
use empire_schema::types::{Language, Network, PageKind, WebsiteStatus};
use empire_schema::{DatabaseUrl, Db, DbOptions};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::content_generator::plan_content;
use crate::intelligence::data::{GraphService, SearchService};
use crate::intelligence::graph::NodeKind;
use crate::intelligence::llm::{
    GatewayOptions, Llm, LlmSettings, ProviderKind, ProviderSettings, Secret,
};
use crate::intelligence::web::{Fetcher, WebSettings};
use crate::opportunity_scanner::site_keywords;
use crate::seo_optimizer::site_audit::Signature;
use crate::website_builder::sites::{SiteSettings, Sites};

struct Fixture {
    _dir: tempfile::TempDir,
    services: Services,
}

async fn fixture(llm: LlmSettings) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::Sqlite(dir.path().join("empire.db"));
    empire_schema::migrate::run_pending(&url).await.unwrap();
    let db = Db::connect(&DbOptions {
        url,
        pool_size: 2,
        connect_timeout: std::time::Duration::from_secs(5),
    })
    .await
    .unwrap();
    let services = Services::new(
        db.clone(),
        Llm::start(llm, db.clone(), None, GatewayOptions::default()).unwrap(),
        Fetcher::new(WebSettings::default()).unwrap(),
        SearchService::open(None).unwrap(),
        GraphService::load(db).await.unwrap(),
        Sites::new(SiteSettings::default(), dir.path().join("sites")),
    );
    Fixture {
        _dir: dir,
        services,
    }
}

async fn site(services: &Services, slug: &str, pages: usize) -> Website {
    Website::create(
        &services.db,
        NewWebsite {
            slug: slug.into(),
            name: "Brew Guide".into(),
            niche: "espresso machine".into(),
            domain: None,
            language: Language::En,
            status: WebsiteStatus::Draft,
            settings: json!({ "pages": pages }),
        },
    )
    .await
    .unwrap()
}

async fn seed_catalogue(services: &Services) {
    let keyword = |keyword: &str, language, volume| NewKeyword {
        keyword: keyword.into(),
        language,
        volume,
        cpc_cents: Some(80),
        currency: Some("EUR".into()),
        difficulty: Some(30),
        niche: Some("Espresso Machine".into()),
        import_key: format!("kw:{keyword}"),
        history: Vec::new(),
    };
    empire_schema::models::Keyword::upsert_batch(
        &services.db,
        &[
            keyword("espresso machine for beginners", Language::En, 5_000),
            keyword("quiet espresso machine", Language::En, 900),
            keyword("siebträger für anfänger", Language::De, 90_000),
        ],
        |_| json!({}),
    )
    .await
    .unwrap();
    Offer::upsert_many(
        &services.db,
        vec![NewOffer {
            network: Network::Awin,
            niche: "espresso machine".into(),
            name: "Sage Bambino Plus".into(),
            url: "https://shop.example/bambino".into(),
            advertiser_id: Some("1001".into()),
            product_id: None,
            price_cents: Some(39_999),
            currency: Some("EUR".into()),
        }],
    )
    .await
    .unwrap();
}

async fn keywords_then_plan(services: &Services, website: &Website) -> Vec<String> {
    let found = site_keywords::run(services.clone(), json!({ "website_id": website.id }))
        .await
        .unwrap();
    let keywords: Vec<String> = found["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["keyword"].as_str().unwrap().to_owned())
        .collect();
    let planned = plan_content::run(
        services.clone(),
        json!({ "website_id": website.id, "keywords": keywords }),
    )
    .await
    .unwrap();
    assert_eq!(planned["planned"], planned["pages"]);
    keywords
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keywords_plan_and_pages_on_the_offline_provider_keep_edits_and_resume() {
    let Fixture { _dir, services } = fixture(LlmSettings::default()).await;
    seed_catalogue(&services).await;
    let website = site(&services, "brew-guide", 8).await;

    let keywords = keywords_then_plan(&services, &website).await;
    assert_eq!(keywords.len(), 8);
    assert_eq!(
        &keywords[..2],
        ["espresso machine for beginners", "quiet espresso machine"]
    );
    assert!(
        !keywords.iter().any(|k| k.contains("siebträger")),
        "other languages stay out"
    );
    let stored = Website::get(&services.db, &website.id).await.unwrap();
    assert_eq!(stored.status, WebsiteStatus::Building);
    let targets = services.graph.read(|g| {
        g.nodes()
            .filter(|n| n.kind == NodeKind::Website && n.id == website.id)
            .count()
    });
    assert_eq!(targets, 1);

    // A re-run plans nothing new.
    let again = plan_content::run(
        services.clone(),
        json!({ "website_id": website.id, "keywords": keywords }),
    )
    .await
    .unwrap();
    assert_eq!(
        again,
        json!({ "website_id": website.id, "planned": 0, "pages": 8 })
    );

    let pages = SitePage::all(&services.db, &website.id).await.unwrap();
    let edited = pages.iter().find(|p| p.kind == PageKind::Article).unwrap();
    let edit = PageEdit {
        markdown: Some("A person's own words.".into()),
        ..PageEdit::default()
    };
    SitePage::edit(&services.db, &website.id, &edited.id, &edit, article_doc)
        .await
        .unwrap();

    let input = json!({ "website_id": website.id });
    let wrote = run(services.clone(), input.clone()).await.unwrap();
    assert_eq!(
        wrote,
        json!({ "website_id": website.id, "written": 7, "kept_edits": 1 })
    );
    let pages = SitePage::all(&services.db, &website.id).await.unwrap();
    for page in &pages {
        assert!(page.written, "{}", page.slug);
        if page.id == edited.id {
            assert_eq!(page.markdown, "A person's own words.");
            continue;
        }
        assert!(page.ai_generated);
        assert!(
            page.markdown.starts_with("---\ntitle: \""),
            "{}",
            page.markdown
        );
        assert!(page.markdown.contains("\nai_generated: true\n"));
        assert!(page.meta_description.chars().count() <= 155);
        let signature: Signature =
            serde_json::from_value(page.signature.clone().unwrap().0).unwrap();
        assert!(signature.shingles > 0);
        for fact in stored_facts(page) {
            assert_eq!(fact.name, "Sage Bambino Plus");
            assert_eq!(fact.source, "offer catalogue (awin)");
            assert!(page.markdown.contains("Sage Bambino Plus"));
        }
    }
    let reviews: Vec<&SitePage> = pages
        .iter()
        .filter(|p| {
            p.article_type == Some(empire_schema::types::ArticleType::Review) && p.id != edited.id
        })
        .collect();
    assert!(
        reviews.iter().all(|p| stored_facts(p).len() == 1),
        "a review names the offer"
    );
    let home = pages.iter().find(|p| p.kind == PageKind::Home).unwrap();
    for category in pages.iter().filter(|p| p.kind == PageKind::Category) {
        let url = format!("http://127.0.0.1:8080/sites/brew-guide/{}/", category.slug);
        assert!(home.markdown.contains(&url), "{}", home.markdown);
    }

    // Resumable: a retry writes nothing more and keeps the edit.
    let retry = run(services.clone(), input).await.unwrap();
    assert_eq!(
        retry,
        json!({ "website_id": website.id, "written": 0, "kept_edits": 1 })
    );

    let unknown = run(services.clone(), json!({ "website_id": "no-such-site" })).await;
    assert_eq!(
        unknown,
        Err(KindError::Failed("unknown website no-such-site".into()))
    );
}

fn provider(server: &MockServer, budget_micro_eur_per_day: u64) -> LlmSettings {
    let writer = ProviderSettings {
        base_url: format!("{}/v1", server.uri()),
        model: "gpt-test".into(),
        api_key: Some(Secret::new("sk-test-key-0123456789")),
        eur_per_million_input_tokens: 1.0,
        eur_per_million_output_tokens: 2.0,
        timeout_ms: 2_000,
        ..ProviderSettings::new(ProviderKind::Openai)
    };
    LlmSettings {
        chain: vec!["writer".into()],
        budget_micro_eur_per_day,
        providers: BTreeMap::from([("writer".to_owned(), writer)]),
        chains: BTreeMap::new(),
    }
}

async fn answering(text: &str) -> MockServer {
    let server = MockServer::start().await;
    let body: Value = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-test",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}
    });
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_providers_text_is_used_and_a_spent_budget_stops_the_task() {
    let server =
        answering("# Their title\n\nThe provider wrote this about espresso machine.").await;
    let Fixture { _dir, services } = fixture(provider(&server, 0)).await;
    let website = site(&services, "brew-live", 5).await;
    keywords_then_plan(&services, &website).await;
    let wrote = run(services.clone(), json!({ "website_id": website.id }))
        .await
        .unwrap();
    assert_eq!(wrote["written"], 5);
    for page in SitePage::all(&services.db, &website.id).await.unwrap() {
        assert!(
            page.markdown
                .ends_with("---\nThe provider wrote this about espresso machine.\n"),
            "{}",
            page.markdown
        );
        assert_eq!(
            stored_facts(&page),
            [],
            "no offers in the catalogue: no product facts"
        );
    }

    // One micro-euro a day cannot pay for a page: the task stops for good, nothing is written.
    let Fixture {
        _dir: _dir2,
        services,
    } = fixture(provider(&server, 1)).await;
    let website = site(&services, "brew-broke", 5).await;
    keywords_then_plan(&services, &website).await;
    let refused = run(services.clone(), json!({ "website_id": website.id })).await;
    assert!(
        matches!(refused, Err(KindError::BudgetExceeded(_))),
        "{refused:?}"
    );
    let pages = SitePage::all(&services.db, &website.id).await.unwrap();
    assert!(pages.iter().all(|p| !p.written));
}
