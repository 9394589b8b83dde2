//! `/sites/{slug}/{path}`: a published build's files with their content types, strong ETags
//! (304 on a match), cache lifetimes, and no way out of the build.

use std::io::{Read, Write};
use std::net::TcpStream;

use chrono::{TimeZone, Utc};
use empire_actors::website_builder::site::publish::BuildId;
use empire_actors::website_builder::site::{
    Language, LegalSettings, PageKind, PageSpec, SiteSpec, Theme,
};

use reqwest::Method;

use crate::helpers::client::checked;
use crate::helpers::{TestApp, TestBackend, spawn_app};

fn page(id: &str, slug: &str, kind: PageKind, title: &str) -> PageSpec {
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    PageSpec {
        id: id.into(),
        slug: slug.into(),
        kind,
        title: title.into(),
        meta_description: format!("{title}: tested and compared by hand."),
        markdown: format!("Everything about {title}.\n"),
        category: None,
        published_at: at,
        updated_at: at,
        products: Vec::new(),
        faq: Vec::new(),
        translations: Vec::new(),
        ai_generated: true,
        monetised: false,
    }
}

/// Builds and publishes a three-page site `garden` straight through the node's site store.
fn publish_garden(app: &TestApp) {
    let mut article = page("a1", "best-shears", PageKind::Article, "Best shears");
    article.category = Some("tools".into());
    let spec = SiteSpec {
        slug: "garden".into(),
        name: "Garden Tools".into(),
        base_url: app.url("/sites/garden/"),
        language: Language::En,
        theme: Theme::Clean,
        settings: LegalSettings {
            owner_name: "Garden Tools".into(),
            address_lines: vec!["1 Main St".into()],
            email: "info@garden.invalid".into(),
            ..LegalSettings::default()
        },
        images: Default::default(),
        analytics_url: None,
        pages: vec![
            page("home", "", PageKind::Home, "Garden Tools"),
            page("c1", "tools", PageKind::Category, "Tools"),
            article,
        ],
    };
    let store = &app.runtime.services().sites.store;
    let id = BuildId::parse("0001").unwrap();
    store.build(&spec, &id).unwrap();
    store.publish("garden", &id).unwrap();
}

/// Sends `path` as written (no client-side normalisation) and returns the status code.
fn raw_status(app: &TestApp, path: &str) -> u16 {
    let address = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer}"))
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_site_is_served_with_types_etags_and_cache_lifetimes() {
    let app = spawn_app(TestBackend::Sqlite).await;
    publish_garden(&app);

    let home = app.get("/sites/garden/").await;
    assert_eq!(home.status(), 200);
    assert_eq!(header(&home, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&home, "cache-control"), "public, max-age=60");
    let etag = header(&home, "etag");
    assert!(etag.starts_with('"') && etag.len() == 66, "{etag}");
    let html = home.text().await.unwrap();
    assert!(html.contains("<h1>Garden Tools</h1>"), "{html}");

    for folder in [
        "/sites/garden/tools/",
        "/sites/garden/tools",
        "/sites/garden/tools/best-shears/",
    ] {
        let response = app.get(folder).await;
        assert_eq!(response.status(), 200, "{folder}");
        assert_eq!(
            header(&response, "content-type"),
            "text/html; charset=utf-8"
        );
    }
    let css_path = html
        .split('"')
        .find(|part| part.starts_with("/sites/garden/assets/site.") && part.ends_with(".css"))
        .unwrap_or_else(|| panic!("no stylesheet in {html}"))
        .to_owned();
    let css = app.get(&css_path).await;
    assert_eq!(header(&css, "content-type"), "text/css; charset=utf-8");
    assert_eq!(
        header(&css, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    for (path, media) in [
        (
            "/sites/garden/sitemap.xml",
            "application/xml; charset=utf-8",
        ),
        ("/sites/garden/robots.txt", "text/plain; charset=utf-8"),
        ("/sites/garden/feed.xml", "application/xml; charset=utf-8"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "content-type"), media, "{path}");
    }

    let cached = app
        .client
        .get(app.url("/sites/garden/"))
        .header("if-none-match", format!("\"stale\", {etag}"))
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);
    assert_eq!(header(&cached, "etag"), etag);
    assert!(cached.bytes().await.unwrap().is_empty());
    let changed = app
        .client
        .get(app.url("/sites/garden/"))
        .header("if-none-match", "\"stale\"")
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_sites_files_and_ways_out_of_the_build_are_refused() {
    let app = spawn_app(TestBackend::Sqlite).await;
    publish_garden(&app);

    for missing in [
        "/sites/nowhere/",
        "/sites/garden/missing.html",
        "/sites/garden/tools/nope/",
    ] {
        let response = app.get(missing).await;
        assert_eq!(response.status(), 404, "{missing}");
        assert_eq!(
            header(&response, "content-type"),
            "application/problem+json"
        );
    }
    for escape in [
        "/sites/garden/../../../../etc/passwd",
        "/sites/garden/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/sites/garden/tools/..%2f..%2f..%2fetc/passwd",
        "/sites/garden/..\\..\\etc\\passwd",
        "/sites/garden/index.html%00.txt",
        "/sites/garden//etc/passwd",
        "/sites/../builds/0001/index.html",
        "/sites/garden/../../sites/garden/index.html",
    ] {
        let status = raw_status(&app, escape);
        assert!([400, 404].contains(&status), "{escape} answered {status}");
    }
    assert_eq!(raw_status(&app, "/sites/garden/index.html"), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_without_its_trailing_slash_redirects_and_head_answers_headers_only() {
    let app = spawn_app(TestBackend::Sqlite).await;
    publish_garden(&app);

    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let send = async |method: Method, path: &str| {
        let response = raw.request(method.clone(), app.url(path)).send().await;
        checked(&method, response.unwrap()).await
    };
    let redirected = send(Method::GET, "/sites/garden").await;
    assert_eq!(redirected.status(), 308);
    assert_eq!(header(&redirected, "location"), "/sites/garden/");
    assert_eq!(send(Method::GET, "/sites/nowhere").await.status(), 404);

    let get = app.get("/sites/garden/").await;
    let head = send(Method::HEAD, "/sites/garden/").await;
    assert_eq!(head.status(), 200);
    for name in ["content-type", "etag", "cache-control", "content-length"] {
        assert_eq!(header(&head, name), header(&get, name), "{name}");
    }
    assert!(head.bytes().await.unwrap().is_empty());
    assert_eq!(
        send(Method::HEAD, "/sites/garden/missing.html")
            .await
            .status(),
        404
    );
}
