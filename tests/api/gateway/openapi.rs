//! The OpenAPI document lists exactly the registered routes, with their permission and security.

use std::collections::BTreeSet;

use empire::openapi::document_path;
use empire::routes::ROUTES;
use serde_json::Value;

use crate::helpers::{TestBackend, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_matches_the_route_table() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["securitySchemes"]["api_key"].is_object());

    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let mut registered: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|route| (route.method.to_string(), document_path(route.path)))
        .collect();
    // The Swagger UI page, served beside the route table.
    registered.insert(("GET".into(), empire::openapi::DOCS_PAGE.into()));
    assert_eq!(
        documented, registered,
        "every route documented, nothing undocumented"
    );

    for route in ROUTES {
        let operation =
            &doc["paths"][document_path(route.path)][route.method.as_str().to_lowercase()];
        assert_eq!(
            operation["x-required-permission"],
            route.access.describe(),
            "{} {}",
            route.method,
            route.path
        );
        let secured = !operation["security"].as_array().unwrap().is_empty();
        let needs_credentials = !route.access.describe().starts_with("public");
        assert_eq!(
            secured, needs_credentials,
            "{} {}",
            route.method, route.path
        );
        if needs_credentials {
            assert!(
                operation["responses"]["401"].is_object(),
                "{} {}",
                route.method,
                route.path
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactive_docs_are_served_from_the_binary() {
    let app = spawn_app(TestBackend::Sqlite).await;

    let redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let docs = redirect.get(app.url("/docs")).send().await.unwrap();
    let page = app.get("/docs/").await;
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;

    assert_eq!(docs.headers()["location"], "/docs/");
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("swagger")
    );
    assert_eq!(bundle.status(), 200);
    let initializer = app
        .get("/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(initializer.contains("/openapi.json"), "{initializer}");
}
