//! `build_site` over a real SQLite store and a temporary sites folder.

use crate::intelligence::data::article_doc;
use std::fs;

use empire_schema::models::{NewOffer, NewWebsite, PlannedPage, WrittenPage};
use empire_schema::types::{BuildStatus, Language, Network, PageKind, WebsiteStatus};
use serde_json::json;

use super::*;
use crate::website_builder::site::SPONSORED_REL;
use crate::website_builder::testing::{TestServices, services};

pub(crate) const LINK_CODE: &str = "Tq3xZ8mK1pVw";

/// A written English site (home, a category, an article naming an offer) with one link.
pub(crate) async fn seeded_site(services: &Services) -> Website {
    seeded_site_in(
        services,
        Language::En,
        json!({"theme": "magazine", "pages": 3}),
    )
    .await
}

pub(crate) async fn seeded_site_in(
    services: &Services,
    language: Language,
    settings: Value,
) -> Website {
    let db = &services.db;
    let site = Website::create(
        db,
        NewWebsite {
            slug: "garden".into(),
            name: "Garden Tools".into(),
            niche: "garden".into(),
            domain: None,
            language,
            status: WebsiteStatus::Building,
            settings,
        },
    )
    .await
    .unwrap();
    let plan = [
        ("", PageKind::Home, None),
        ("shears", PageKind::Category, None),
        ("best-shears", PageKind::Article, Some("shears")),
    ];
    let planned = plan
        .iter()
        .enumerate()
        .map(|(i, (slug, kind, category))| PlannedPage {
            slug: (*slug).into(),
            kind: *kind,
            article_type: None,
            keyword: "garden shears".into(),
            category: category.map(str::to_owned),
            title: format!("Planned {i}"),
            position: i as i64,
        })
        .collect();
    SitePage::plan(db, &site.id, planned).await.unwrap();
    for page in SitePage::all(db, &site.id).await.unwrap() {
        let markdown = if page.kind == PageKind::Article {
            "## Our pick\n\nThe Acme Shears cut cleanly. We tested the Acme Shears for a month.\n"
        } else {
            "Tools for every garden, tested by hand.\n"
        };
        let written = WrittenPage {
            title: format!("Garden page {}", page.position),
            meta_description: "Garden shears and tools, tested and compared by hand.".into(),
            markdown: markdown.into(),
            products: json!([]),
            faq: json!([]),
            ai_generated: true,
            signature: None,
        };
        SitePage::write(db, &page.id, written, article_doc)
            .await
            .unwrap();
    }
    Offer::upsert_many(
        db,
        vec![NewOffer {
            network: Network::Awin,
            niche: "garden".into(),
            name: "Acme Shears".into(),
            url: "https://shop.example/acme-shears".into(),
            advertiser_id: Some("1001".into()),
            product_id: None,
            price_cents: Some(1999),
            currency: Some("EUR".into()),
        }],
    )
    .await
    .unwrap();
    let offer = Offer::active_for_niche(db, "garden")
        .await
        .unwrap()
        .remove(0);
    let article = SitePage::all(db, &site.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.kind == PageKind::Article)
        .unwrap();
    Link::get_or_create(
        db,
        LINK_CODE.into(),
        &site.id,
        &article.id,
        &offer.id,
        "https://www.awin1.com/cread.php?awinmid=1001".into(),
    )
    .await
    .unwrap();
    site
}

fn build_dir(test: &TestServices, build_id: &str) -> std::path::PathBuf {
    test.sites_dir()
        .join("garden")
        .join("builds")
        .join(build_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_is_built_under_a_new_id_and_recorded() {
    let test = services(|settings| {
        settings.indexnow.enabled = true;
        settings.indexnow.key = "garden-key-0001".into();
    })
    .await;
    let site = seeded_site(&test.services).await;

    let output = run(test.services.clone(), json!({"website_id": site.id}))
        .await
        .unwrap();

    let build_id = output["build_id"].as_str().unwrap().to_owned();
    assert_eq!(output["website_id"], site.id);
    // Home, category, article, and the generated imprint and privacy pages.
    assert_eq!(output["pages"], 5);
    let row = SiteBuild::get(&test.services.db, &site.id, &build_id)
        .await
        .unwrap();
    assert_eq!(row.status, BuildStatus::Built);
    assert_eq!(row.gate_passed, None);
    assert_eq!(
        (row.pages, row.files, row.bytes),
        (
            5,
            output["files"].as_i64().unwrap(),
            output["bytes"].as_i64().unwrap()
        )
    );
    let dir = build_dir(&test, &build_id);
    let article = fs::read_to_string(dir.join("shears/best-shears/index.html")).unwrap();
    assert!(
        article.contains(r#"data-endpoint="http://127.0.0.1:9/t/e""#),
        "the beacon reports to the front door, wherever the site is served: {article}"
    );
    let link = format!(
        "<a href=\"http://127.0.0.1:9/go/{LINK_CODE}\" rel=\"{SPONSORED_REL}\">Acme Shears</a>"
    );
    assert_eq!(article.matches(&link).count(), 1, "{article}");
    assert_eq!(
        fs::read_to_string(dir.join("key.txt")).unwrap(),
        "garden-key-0001"
    );
    assert!(fs::read_to_string(dir.join("sitemap.xml")).is_ok());
    assert_eq!(
        test.services.sites.store.current("garden").unwrap(),
        None,
        "building publishes nothing"
    );

    let again = run(test.services.clone(), json!({"website_id": site.id}))
        .await
        .unwrap();
    assert_ne!(
        again["build_id"], output["build_id"],
        "a re-run makes a new build"
    );
    let first = fs::read_to_string(dir.join("shears/best-shears/index.html")).unwrap();
    assert_eq!(first, article, "the first build is untouched");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_sites_and_bad_input_fail_clearly() {
    let test = services(|_| {}).await;

    let missing = run(test.services.clone(), json!({"website_id": "nope"}))
        .await
        .unwrap_err();
    assert_eq!(missing, KindError::Failed("unknown website nope".into()));
    for bad in [
        json!({}),
        json!({"website_id": "a/b"}),
        json!({"website_id": "x", "extra": 1}),
    ] {
        assert!(
            matches!(
                run(test.services.clone(), bad.clone()).await,
                Err(KindError::InvalidInput(_))
            ),
            "{bad}"
        );
    }
    assert!(!test.sites_dir().join("garden").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_german_site_without_an_address_names_what_is_missing() {
    let test = services(|_| {}).await;
    let site = seeded_site_in(
        &test.services,
        Language::De,
        json!({"legal": {"owner_name": "Beispiel GmbH"}}),
    )
    .await;

    let err = run(test.services.clone(), json!({"website_id": site.id}))
        .await
        .unwrap_err();

    let KindError::Failed(message) = err else {
        panic!("{err:?}")
    };
    assert!(message.contains("settings.address_lines"), "{message}");
    let page = SiteBuild::list(&test.services.db, &site.id, &Default::default())
        .await
        .unwrap();
    assert!(page.items.is_empty(), "a failed build records nothing");
}

mod pictures {
    use std::io::Cursor;

    use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    fn photo_png() -> Vec<u8> {
        let photo = RgbImage::from_fn(1600, 900, |x, y| {
            Rgb([(x % 251) as u8, (y % 241) as u8, 60])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(photo)
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    /// Gives the seeded article a Markdown picture and its product a feed picture (the same
    /// address), and a picture that cannot be fetched.
    async fn add_pictures(services: &Services, site: &Website, server: &str) {
        let db = &services.db;
        let article = SitePage::all(db, &site.id)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.kind == PageKind::Article)
            .unwrap();
        let written = WrittenPage {
            title: "Garden page 2".into(),
            meta_description: "Garden shears and tools, tested and compared by hand.".into(),
            markdown: format!(
                "## Our pick\n\n![The Acme Shears in use]({server}/shears.png)\n\n\
                 The Acme Shears cut cleanly. ![gone]({server}/missing.png) We tested them.\n"
            ),
            products: json!([{
                "name": "Acme Shears",
                "source": "awin feed",
                "image_url": format!("{server}/shears.png"),
            }]),
            faq: json!([]),
            ai_generated: true,
            signature: None,
        };
        SitePage::write(db, &article.id, written, article_doc)
            .await
            .unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pictures_are_served_as_local_sized_webp_and_unreachable_ones_left_out() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/shears.png"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("content-type", "image/png")
                    .set_body_bytes(photo_png()),
            )
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/missing.png"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        let test = services(|_| {}).await;
        let site = seeded_site(&test.services).await;
        add_pictures(&test.services, &site, &server.uri()).await;

        let output = run(test.services.clone(), json!({"website_id": site.id}))
            .await
            .unwrap();

        let dir = build_dir(&test, output["build_id"].as_str().unwrap());
        let assets: Vec<String> = fs::read_dir(dir.join("assets"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".webp"))
            .collect();
        assert_eq!(assets.len(), 1, "{assets:?}");
        let file = &assets[0];
        assert!(file.starts_with("shears.") && file.len() == "shears.01234567.webp".len());
        let webp = fs::read(dir.join("assets").join(file)).unwrap();
        assert_eq!((&webp[..4], &webp[8..12]), (&b"RIFF"[..], &b"WEBP"[..]));
        let article = fs::read_to_string(dir.join("shears/best-shears/index.html")).unwrap();
        let img = format!(
            "<img src=\"/sites/garden/assets/{file}\" width=\"1200\" height=\"675\" alt=\"The Acme Shears in use\" loading=\"lazy\" decoding=\"async\">"
        );
        assert_eq!(
            article.matches(&img).count(),
            1,
            "the body's picture: {article}"
        );
        assert_eq!(
            article
                .matches(&format!("src=\"/sites/garden/assets/{file}\""))
                .count(),
            2,
            "the body's and the product's: {article}"
        );
        assert!(
            article.contains(&format!(
                "\"image\":\"http://127.0.0.1:9/sites/garden/assets/{file}\""
            )),
            "the Product's JSON-LD names the copy: {article}"
        );
        assert!(
            !article.contains(&server.uri()),
            "no picture is linked where it was found: {article}"
        );
        assert!(!article.contains("gone"), "{article}");

        let again = run(test.services.clone(), json!({"website_id": site.id}))
            .await
            .unwrap();
        let again_dir = build_dir(&test, again["build_id"].as_str().unwrap());
        assert_eq!(
            fs::read(again_dir.join("assets").join(file)).unwrap(),
            webp,
            "the next build reuses the cached copy (the mock allows one fetch)"
        );
    }
}
