//! `monetise_site` against a real store: links for the offers pages name, feed products joining
//! the catalogue, re-runs keeping codes, and sites without offers.

pub(crate) mod support;

use std::collections::BTreeMap;

use empire_schema::models::{Link, NewOffer, NewProduct, Offer, Product, SitePage};
use empire_schema::types::{Language, Network, PageKind};
use serde_json::json;

use super::*;
use crate::monetization::settings::AffiliateSettings;
use crate::website_builder::sites::SiteSettings;
use support::{Env, env, page, website};

/// A page row with every field set, for pure tests to adjust.
pub(crate) fn page_row() -> SitePage {
    let at = empire_schema::clock::now();
    SitePage {
        id: "p1".into(),
        website_id: "w1".into(),
        slug: "page".into(),
        kind: PageKind::Article,
        article_type: None,
        keyword: "grinder".into(),
        category: None,
        title: "Page".into(),
        meta_description: String::new(),
        markdown: String::new(),
        products: empire_schema::Json(json!([])),
        faq: empire_schema::Json(json!([])),
        position: 0,
        ai_generated: false,
        monetised: false,
        written: true,
        signature: None,
        audit: None,
        edited_at: None,
        created_at: at,
        updated_at: at,
    }
}

fn settings(ids: AffiliateSettings) -> SiteSettings {
    SiteSettings {
        affiliate: ids,
        ..SiteSettings::default()
    }
}

fn our_ids() -> AffiliateSettings {
    AffiliateSettings {
        awin_publisher_id: "234567".into(),
        digistore24_affiliate_id: "empire_aff".into(),
    }
}

const FEED_LINK: &str = "https://www.awin1.com/pclick.php?p=77&a=234567&m=2002";

/// A coffee site with a catalogue, a feed product and pages naming some of them.
async fn coffee_site(env: &Env) -> String {
    let db = env.db();
    let site = website(db, "coffee-corner", "coffee", Language::En).await;
    let offer = |network, name: &str, url: &str| NewOffer {
        network,
        niche: "coffee".into(),
        name: name.into(),
        url: url.into(),
        advertiser_id: Some("1001".into()),
        product_id: Some("4242".into()),
        price_cents: None,
        currency: None,
    };
    Offer::upsert_many(
        db,
        vec![
            offer(
                Network::Awin,
                "Acme Grinder",
                "https://shop.example/grinder",
            ),
            offer(
                Network::Digistore24,
                "Barista Course",
                "https://course.example/",
            ),
            offer(
                Network::Awin,
                "Kettle Deluxe",
                "https://shop.example/kettle",
            ),
        ],
    )
    .await
    .unwrap();
    let product = NewProduct {
        network: "awin".into(),
        merchant_id: "2002".into(),
        product_id: "77".into(),
        name: "Brew Master 3000".into(),
        deep_link: FEED_LINK.into(),
        price_cents: 19_900,
        currency: "EUR".into(),
        category: Some("coffee".into()),
        in_stock: Some(true),
        import_key: "awin:2002:77".into(),
        image_url: None,
    };
    Product::upsert_batch(db, &[product], crate::intelligence::data::product_doc)
        .await
        .unwrap();
    let id = site.id;
    page(
        db,
        &id,
        "",
        PageKind::Home,
        "# Coffee\n\nBeans and brewing.",
        json!([]),
    )
    .await;
    page(
        db,
        &id,
        "grinders",
        PageKind::Article,
        "We tested the ACME grinder for weeks.",
        json!([]),
    )
    .await;
    let products = json!([{ "name": "Brew Master 3000", "source": "awin feed" }]);
    page(
        db,
        &id,
        "machines",
        PageKind::Article,
        "Learn more in the barista course.",
        products,
    )
    .await;
    page(db, &id, "kettles", PageKind::Article, "", json!([])).await;
    id
}

async fn monetise(env: &Env, website_id: &str) -> Result<Output, KindError> {
    let value = run(env.services.clone(), json!({ "website_id": website_id })).await?;
    Ok(serde_json::from_value(value).unwrap())
}

async fn codes(env: &Env, website_id: &str) -> BTreeMap<(String, String), Link> {
    Link::for_website(env.db(), website_id)
        .await
        .unwrap()
        .into_iter()
        .map(|link| ((link.page_id.clone(), link.offer_id.clone()), link))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_naming_offers_get_tracked_links_and_reruns_keep_the_codes() {
    let env = env(settings(our_ids())).await;
    let id = coffee_site(&env).await;
    let output = monetise(&env, &id).await.unwrap();
    assert_eq!((output.links, output.monetised_pages), (3, 2));
    assert!(
        output.unlinked_offers.is_empty(),
        "{:?}",
        output.unlinked_offers
    );

    let pages: BTreeMap<String, SitePage> = SitePage::all(env.db(), &id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.slug.clone(), p))
        .collect();
    let monetised: Vec<&str> = pages
        .values()
        .filter(|p| p.monetised)
        .map(|p| p.slug.as_str())
        .collect();
    assert_eq!(monetised, ["grinders", "machines"]);

    let offers = Offer::active_for_niche(env.db(), "coffee").await.unwrap();
    let feed = offers
        .iter()
        .find(|o| o.name == "Brew Master 3000")
        .unwrap();
    assert_eq!(
        (feed.network, feed.url.as_str()),
        (Network::Awin, FEED_LINK)
    );
    let offer_named = |name: &str| offers.iter().find(|o| o.name == name).unwrap().id.clone();

    let links = codes(&env, &id).await;
    assert_eq!(links.len(), 3);
    for link in links.values() {
        assert!(
            link_code::is_code(&link.code) && link.code.len() >= 12,
            "{}",
            link.code
        );
    }
    let grinder = &links[&(pages["grinders"].id.clone(), offer_named("Acme Grinder"))];
    assert_eq!(
        grinder.target_url,
        format!(
            "https://www.awin1.com/cread.php?awinmid=1001&awinaffid=234567&clickref={}&ued=https%3A%2F%2Fshop.example%2Fgrinder",
            grinder.code
        )
    );
    let machine = &links[&(pages["machines"].id.clone(), feed.id.clone())];
    assert_eq!(
        machine.target_url,
        format!("{FEED_LINK}&clickref={}", machine.code)
    );
    let course = &links[&(pages["machines"].id.clone(), offer_named("Barista Course"))];
    assert_eq!(
        course.target_url,
        format!(
            "https://www.digistore24.com/redir/4242/empire_aff?cid={}",
            course.code
        )
    );

    let again = monetise(&env, &id).await.unwrap();
    assert_eq!((again.links, again.monetised_pages), (3, 2));
    assert_eq!(codes(&env, &id).await, links);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_our_network_id_only_tracking_links_are_used() {
    let env = env(settings(AffiliateSettings::default())).await;
    let id = coffee_site(&env).await;
    let output = monetise(&env, &id).await.unwrap();
    assert_eq!((output.links, output.monetised_pages), (1, 1));
    let mut unlinked: Vec<&str> = output
        .unlinked_offers
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    unlinked.sort_unstable();
    assert_eq!(unlinked, ["Acme Grinder", "Barista Course"]);
    assert!(
        output
            .unlinked_offers
            .iter()
            .all(|u| u.reason.contains("sites.affiliate."))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_without_offers_gets_no_links_and_still_succeeds() {
    let env = env(settings(our_ids())).await;
    let site = website(env.db(), "tea-time", "tea", Language::De).await;
    page(
        env.db(),
        &site.id,
        "",
        PageKind::Home,
        "# Tee\n\nAcme Grinder ist hier kein Angebot.",
        json!([]),
    )
    .await;
    let output = monetise(&env, &site.id).await.unwrap();
    assert_eq!((output.links, output.monetised_pages), (0, 0));
    assert!(
        Link::for_website(env.db(), &site.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_sites_and_bad_input_are_refused() {
    let env = env(SiteSettings::default()).await;
    let error = monetise(&env, "no-such-site").await.unwrap_err();
    assert_eq!(
        error,
        KindError::Failed("unknown website no-such-site".into())
    );
    for input in [
        json!({}),
        json!({ "website_id": "a/b" }),
        json!({ "website_id": "w", "extra": 1 }),
    ] {
        let error = run(env.services.clone(), input).await.unwrap_err();
        assert!(matches!(error, KindError::InvalidInput(_)), "{error:?}");
    }
}
