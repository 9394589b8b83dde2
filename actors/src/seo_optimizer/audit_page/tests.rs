//! Unit tests of `audit_page`.

use serde_json::json;

use super::*;

fn audit(html: &str, keyword: &str) -> Output {
    run(&Input {
        html: html.into(),
        keyword: keyword.into(),
        website_id: None,
    })
    .unwrap()
}

fn passed(output: &Output, id: &str) -> bool {
    output
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
        .passed
}

/// A page that passes every check.
fn good_page() -> String {
    let words = "Robot vacuums clean floors while you do other things. ".repeat(40);
    format!(
        r#"<!doctype html><html lang="en"><head>
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Robot Vacuum Review: Is It Worth It? Our Verdict</title>
<meta name="description" content="Our robot vacuum review covers suction, noise, battery life and price so you can decide whether to buy.">
<link rel="canonical" href="https://example.com/robot-vacuum-review">
</head><body>
<h1>Robot Vacuum Review</h1>
<p>We tested this ROBOT   vacuum for two weeks.</p>
<h2>Pros and Cons</h2>
<img src="a.jpg" alt="Robot vacuum on a rug">
<p>{words}</p>
<p><a href="https://example.com/best">Best picks</a></p>
</body></html>"#
    )
}

#[test]
fn the_example_deserializes_validates_and_runs() {
    let input: Input = serde_json::from_value(example_input()).unwrap();
    assert!(validate(&input).is_empty());
    let output = run(&input).unwrap();
    // The example is short on words, and passes everything else.
    assert_eq!(output.failed, ["content_length"]);
    assert_eq!(output.score, 94);
}

#[test]
fn the_weights_sum_to_one_hundred_and_ids_are_unique() {
    let output = audit("<p>x</p>", "x");
    assert_eq!(output.checks.iter().map(|c| c.weight).sum::<u32>(), 100);
    let mut ids: Vec<&str> = output.checks.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), output.checks.len());
}

#[test]
fn a_good_page_passes_everything() {
    let output = audit(&good_page(), "robot vacuum");
    assert_eq!(output.failed, Vec::<String>::new(), "{:#?}", output.checks);
    assert_eq!(output.score, 100);
}

#[test]
fn keyword_matching_ignores_case_spacing_and_entities() {
    let html = "<title>Das beste M&uuml;SLI</title><h1>m&uuml;sli</h1><p>Unser  Müsli</p>";
    let output = audit(html, "  MÜSLI ");
    assert!(passed(&output, "keyword_in_title"));
    assert!(passed(&output, "keyword_in_h1"));
    assert!(passed(&output, "keyword_in_first_paragraph"));
    let output = audit("<title>Robot vacuum</title>", "robot  VACUUM");
    assert!(passed(&output, "keyword_in_title"));
}

#[test]
fn an_empty_page_fails_almost_everything() {
    let output = audit("<html></html>", "robot vacuum");
    // Only "every image has alt text" holds, vacuously.
    assert_eq!(output.score, 7);
    assert_eq!(output.failed.len(), output.checks.len() - 1);
    assert!(passed(&output, "images_have_alt"));
}

#[test]
fn lengths_outside_the_ranges_fail_with_a_reason() {
    let html = "<title>Too short</title><meta name=description content='Short.'>";
    let output = audit(html, "x");
    assert!(passed(&output, "title_present"));
    assert!(!passed(&output, "title_length"));
    assert!(passed(&output, "meta_description_present"));
    assert!(!passed(&output, "meta_description_length"));
    let title_check = output
        .checks
        .iter()
        .find(|c| c.id == "title_length")
        .unwrap();
    assert_eq!(title_check.message, "Title has 9 characters; aim for 30–60");
}

#[test]
fn two_h1s_and_missing_alts_fail() {
    let html = "<h1>One</h1><h1>Two</h1><img src=a><img src=b alt=''><img src=c alt=ok>";
    let output = audit(html, "two");
    assert!(!passed(&output, "single_h1"));
    assert!(passed(&output, "keyword_in_h1"));
    let alt = output
        .checks
        .iter()
        .find(|c| c.id == "images_have_alt")
        .unwrap();
    assert!(!alt.passed);
    assert_eq!(alt.message, "2 of 3 images lack alt text");
}

#[test]
fn a_relative_canonical_fails() {
    let output = audit("<link rel=canonical href=/page>", "x");
    assert!(!passed(&output, "canonical"));
}

#[test]
fn malformed_html_is_audited_without_panicking() {
    for html in [
        "<",
        "<title>unclosed",
        "<h1><p>x",
        "</p></h1></title>",
        "<<>>&&;",
        "<a href=",
        "\u{0}",
    ] {
        let output = audit(html, "x");
        assert!(output.score <= 100);
        assert_eq!(output.checks.len(), 16);
    }
}

#[test]
fn the_score_rounds_the_weighted_share() {
    // Passing title_present (10) + images (7) + has_links (5) = 22.
    let output = audit("<title>t</title><a href=/x>x</a>", "zzz");
    assert_eq!(output.score, 22);
}

#[test]
fn output_is_deterministic() {
    let page = good_page();
    assert_eq!(audit(&page, "robot vacuum"), audit(&page, "robot vacuum"));
}

#[test]
fn bad_input_is_rejected() {
    let errors = validate(&Input {
        html: "  ".into(),
        keyword: "".into(),
        website_id: None,
    });
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["html", "keyword"]);
    let long = Input {
        html: "<p>".into(),
        keyword: "k".repeat(MAX_KEYWORD_CHARS + 1),
        website_id: None,
    };
    assert_eq!(validate(&long)[0].field, "keyword");
    let extra = json!({ "html": "<p>", "keyword": "k", "url": "x" });
    assert!(serde_json::from_value::<Input>(extra).is_err());
}
