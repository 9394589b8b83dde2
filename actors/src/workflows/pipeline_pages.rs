//! A whole `website_pipeline` run step by step on the offline provider, as the runtime runs it
//! (step input → the kind's service work → the result), then every page of the published site
//! read back by a strict parser: well formed, with the tags a search engine needs, the AI
//! marking and, where there are affiliate links, the disclosure.

use std::fs;
use std::path::Path;

use empire_schema::models::{NewOffer, NewWebsite, Offer, Website};
use empire_schema::types::{Language, Network, WebsiteStatus};
use serde_json::{Value, json};

use super::{WorkflowKind, find};
use crate::kinds::{self, Work};
use crate::services::Services;
use crate::website_builder::site::tests::markup::{Element, parse};
use crate::website_builder::testing::services;

async fn run_pipeline(services: &Services, website_id: &str) -> Value {
    let spec = find(WorkflowKind::WebsitePipeline.as_str()).unwrap();
    let input = json!({ "website_id": website_id });
    let mut results = Vec::new();
    for (n, step) in spec.steps.iter().enumerate() {
        let step_input = spec.step_input(n, &input, &results).unwrap();
        let Work::Service(work) = kinds::find(step.agent, step.kind).unwrap().work else {
            panic!("{} is a service kind", step.kind)
        };
        let result = work(services.clone(), step_input)
            .await
            .unwrap_or_else(|err| panic!("step {n} ({}): {err}", step.name));
        results.push(result);
    }
    spec.output(&input, &results).unwrap()
}

fn pages(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pages(&path, found);
        } else if path.file_name().is_some_and(|name| name == "index.html") {
            let html = fs::read_to_string(&path).unwrap();
            found.push((path.display().to_string(), html));
        }
    }
}

fn count(elements: &[Element], name: &str, attr: (&str, &str)) -> usize {
    elements
        .iter()
        .filter(|e| e.name == name && e.attr(attr.0) == Some(attr.1))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_a_generated_site_is_well_formed_marked_and_disclosed() {
    // Without our publisher id AWIN offers get no link.
    let test = services(|settings| settings.affiliate.awin_publisher_id = "234567".into()).await;
    let db = &test.services.db;
    let site = Website::create(
        db,
        NewWebsite {
            slug: "grind-guide".into(),
            name: "Grind Guide".into(),
            niche: "coffee grinder".into(),
            domain: None,
            language: Language::En,
            status: WebsiteStatus::Draft,
            settings: json!({"pages": 8}),
        },
    )
    .await
    .unwrap();
    let offer = |name: &str, path: &str| NewOffer {
        network: Network::Awin,
        niche: "coffee grinder".into(),
        name: name.into(),
        url: format!("https://shop.example/{path}"),
        advertiser_id: Some("1001".into()),
        product_id: None,
        price_cents: Some(8_999),
        currency: Some("EUR".into()),
    };
    Offer::upsert_many(
        db,
        vec![
            offer("Acme Burr Grinder", "burr"),
            offer("Zen Hand Mill", "mill"),
        ],
    )
    .await
    .unwrap();

    let output = run_pipeline(&test.services, &site.id).await;

    assert_eq!(output["published"], true, "{output:#}");
    let live = test
        .services
        .sites
        .store
        .current_dir("grind-guide")
        .unwrap();
    let mut found = Vec::new();
    pages(&live, &mut found);
    assert_eq!(found.len(), 10, "8 planned pages, imprint and privacy");
    let mut monetised = 0;
    for (path, html) in &found {
        assert!(html.starts_with("<!doctype html>"), "{path}");
        let elements = parse(html, false).unwrap_or_else(|err| panic!("{path}: {err}"));
        assert_eq!(count(&elements, "html", ("lang", "en")), 1, "{path}");
        assert_eq!(
            elements.iter().filter(|e| e.name == "title").count(),
            1,
            "{path}"
        );
        assert_eq!(
            elements.iter().filter(|e| e.name == "h1").count(),
            1,
            "{path}"
        );
        assert_eq!(
            count(&elements, "meta", ("name", "description")),
            1,
            "{path}"
        );
        assert_eq!(count(&elements, "link", ("rel", "canonical")), 1, "{path}");
        let legal = path.contains("/imprint/") || path.contains("/privacy/");
        if !legal {
            assert_eq!(
                count(&elements, "meta", ("name", "ai-generated")),
                1,
                "{path}"
            );
            assert_eq!(
                count(&elements, "p", ("data-ai-generated", "true")),
                1,
                "{path}"
            );
        }
        let links_out = elements
            .iter()
            .any(|e| e.name == "a" && e.attr("href").is_some_and(|h| h.contains("/go/")));
        if links_out {
            monetised += 1;
            assert_eq!(count(&elements, "p", ("class", "disclosure")), 1, "{path}");
            assert!(
                elements
                    .iter()
                    .filter(|e| e.name == "a" && e.attr("href").is_some_and(|h| h.contains("/go/")))
                    .all(|a| a.attr("rel") == Some("sponsored nofollow")),
                "{path}"
            );
        }
    }
    assert!(monetised > 0, "some pages name an offer and link it");
}
