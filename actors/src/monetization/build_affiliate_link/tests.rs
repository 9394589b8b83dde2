//! Unit tests of `build_affiliate_link`.

use serde_json::json;

use super::*;

fn awin_input() -> Input {
    Input {
        network: Network::Awin,
        advertiser_id: Some("1001".into()),
        publisher_id: Some("234567".into()),
        target_url: Some("https://shop.example.com/p?id=7&colour=black".into()),
        product_id: None,
        affiliate_id: None,
        campaign_key: None,
        click_ref: Some("review-1".into()),
        website_id: None,
    }
}

fn ds24_input() -> Input {
    Input {
        network: Network::Digistore24,
        advertiser_id: None,
        publisher_id: None,
        target_url: None,
        product_id: Some("12345".into()),
        affiliate_id: Some("empire_aff".into()),
        campaign_key: Some("summer".into()),
        click_ref: Some("abc".into()),
        website_id: None,
    }
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

fn invalid(input: &Input) -> Vec<FieldError> {
    match run(input) {
        Err(LinkError::Invalid(errors)) => errors,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn the_example_deserializes_validates_and_runs() {
    let input: Input = serde_json::from_value(example_input()).unwrap();
    assert!(validate(&input).is_empty());
    let output = run(&input).unwrap();
    assert_eq!(output.click_ref, "robot-vacuum-review");
    assert!(
        output
            .url
            .starts_with("https://www.awin1.com/cread.php?awinmid=1001&awinaffid=234567")
    );
}

#[test]
fn an_awin_deep_link_has_the_documented_shape() {
    let output = run(&awin_input()).unwrap();
    assert_eq!(
        output,
        Output {
            url: "https://www.awin1.com/cread.php?awinmid=1001&awinaffid=234567&clickref=review-1&ued=https%3A%2F%2Fshop.example.com%2Fp%3Fid%3D7%26colour%3Dblack".into(),
            network: Network::Awin,
            click_ref: "review-1".into(),
        }
    );
}

#[test]
fn a_digistore24_promolink_has_the_documented_shape() {
    let output = run(&ds24_input()).unwrap();
    assert_eq!(
        output.url,
        "https://www.digistore24.com/redir/12345/empire_aff/summer?cid=abc"
    );
    assert_eq!(output.network, Network::Digistore24);
    let mut no_campaign = ds24_input();
    no_campaign.campaign_key = None;
    assert_eq!(
        run(&no_campaign).unwrap().url,
        "https://www.digistore24.com/redir/12345/empire_aff?cid=abc"
    );
}

#[test]
fn a_missing_click_ref_is_derived_deterministically() {
    let mut input = awin_input();
    input.click_ref = None;
    let first = run(&input).unwrap();
    assert_eq!(first.click_ref.len(), 16);
    assert!(first.url.contains(&format!("clickref={}", first.click_ref)));
    assert_eq!(run(&input).unwrap(), first);
    // A different destination is a different placement.
    input.target_url = Some("https://shop.example.com/other".into());
    assert_ne!(run(&input).unwrap().click_ref, first.click_ref);

    let mut ds24 = ds24_input();
    ds24.click_ref = None;
    let derived = run(&ds24).unwrap();
    assert!(
        derived
            .url
            .ends_with(&format!("?cid={}", derived.click_ref))
    );
    ds24.campaign_key = None;
    assert_ne!(run(&ds24).unwrap().click_ref, derived.click_ref);
}

#[test]
fn ids_may_be_json_integers() {
    let input: Input = serde_json::from_value(json!({
        "network": "awin", "advertiser_id": 1001, "publisher_id": 234567,
        "target_url": "https://shop.example.com/", "click_ref": null
    }))
    .unwrap();
    assert_eq!(input.advertiser_id.as_deref(), Some("1001"));
    assert_eq!(input.click_ref, None);
    assert!(run(&input).is_ok());
    let negative = json!({ "network": "digistore24", "product_id": -5, "affiliate_id": "a" });
    assert!(serde_json::from_value::<Input>(negative).is_err());
    let float = json!({ "network": "digistore24", "product_id": 1.5, "affiliate_id": "a" });
    assert!(serde_json::from_value::<Input>(float).is_err());
}

#[test]
fn each_network_requires_its_own_fields() {
    let bare = |network| Input {
        network,
        advertiser_id: None,
        publisher_id: None,
        target_url: None,
        product_id: None,
        affiliate_id: None,
        campaign_key: None,
        click_ref: None,
        website_id: None,
    };
    assert_eq!(
        fields(&invalid(&bare(Network::Awin))),
        ["advertiser_id", "publisher_id", "target_url"]
    );
    assert_eq!(
        fields(&invalid(&bare(Network::Digistore24))),
        ["product_id", "affiliate_id"]
    );
}

#[test]
fn the_other_networks_fields_are_refused() {
    let mut input = awin_input();
    input.product_id = Some("1".into());
    input.campaign_key = Some("x".into());
    assert_eq!(fields(&invalid(&input)), ["product_id", "campaign_key"]);
    let mut input = ds24_input();
    input.target_url = Some("https://example.com/".into());
    let errors = invalid(&input);
    assert_eq!(
        errors[0],
        FieldError::new("target_url", "is not used by network digistore24")
    );
}

#[test]
fn ids_and_refs_are_checked_for_their_charset() {
    let mut input = awin_input();
    input.advertiser_id = Some("10a1".into());
    input.publisher_id = Some("1234567890123".into());
    input.click_ref = Some("has space".into());
    assert_eq!(
        fields(&invalid(&input)),
        ["advertiser_id", "publisher_id", "click_ref"]
    );

    let mut input = ds24_input();
    input.product_id = Some(String::new());
    input.affiliate_id = Some("a/b".into());
    input.campaign_key = Some("ü".into());
    input.click_ref = Some("x".repeat(MAX_CLICK_REF_CHARS + 1));
    assert_eq!(
        fields(&invalid(&input)),
        ["product_id", "affiliate_id", "campaign_key", "click_ref"]
    );
}

#[test]
fn only_http_targets_are_accepted() {
    for target in [
        "javascript:alert(1)",
        "/relative",
        "ftp://example.com/",
        "https://u:p@example.com/",
    ] {
        let mut input = awin_input();
        input.target_url = Some(target.into());
        assert_eq!(fields(&invalid(&input)), ["target_url"], "{target}");
    }
}

#[test]
fn unknown_networks_and_fields_do_not_deserialize() {
    let network = json!({ "network": "amazon", "product_id": "1" });
    assert!(serde_json::from_value::<Input>(network).is_err());
    let extra =
        json!({ "network": "digistore24", "product_id": "1", "affiliate_id": "a", "tag": "x" });
    assert!(serde_json::from_value::<Input>(extra).is_err());
}
