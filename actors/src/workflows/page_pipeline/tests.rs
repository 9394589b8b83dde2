//! Unit tests of `page_pipeline`: pages end to end, the step inputs and malformed results.

use serde_json::{Value, json};

use super::super::tests::run_to_end;
use super::super::{WorkflowError, WorkflowSpec, find};
use super::*;

fn spec() -> &'static WorkflowSpec {
    find("page_pipeline").unwrap()
}

fn input(keyword: &str, article_type: &str, language: &str) -> Value {
    let mut input = example_input();
    input["keyword"] = json!(keyword);
    input["article_type"] = json!(article_type);
    input["language"] = json!(language);
    input
}

#[test]
fn the_example_becomes_a_page_that_passes_its_audit() {
    let example = example_input();
    assert_eq!(spec().validate(&example), Ok(()));
    let (output, _) = run_to_end(spec(), &example);
    assert_eq!(
        output["title"],
        "Espresso Machine Review: Is It Worth It? Our Honest Verdict"
    );
    assert_eq!(output["slug"], "espresso-machine-review");
    assert_eq!(
        output["url"],
        "https://espresso.example/espresso-machine-review/"
    );
    let html = output["html"].as_str().unwrap();
    assert!(html.contains(
        r#"<link rel="canonical" href="https://espresso.example/espresso-machine-review/">"#
    ));
    assert!(
        html.contains(r#"<a href="https://espresso.example/">espresso.example</a>"#),
        "{html}"
    );
    assert_eq!(output["seo"]["score"], 100, "{:#}", output["seo"]);
    assert_eq!(output["seo"]["failed"], json!([]));
    let link = &output["affiliate_link"];
    assert_eq!(link["network"], "awin");
    assert_eq!(link["click_ref"], "espresso-machine-review");
    assert!(
        link["url"]
            .as_str()
            .unwrap()
            .starts_with("https://www.awin1.com/cread.php?")
    );
    let keys: Vec<&String> = output.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 6, "{keys:?}");
}

#[test]
fn every_article_type_in_both_languages_scores_high() {
    let cases = [
        ("en", "espresso machine"),
        ("en", "robot vacuum cleaner"),
        ("de", "Kaffeevollautomat"),
        ("de", "siebträger maschine"),
    ];
    for (language, keyword) in cases {
        for article_type in ["review", "comparison", "guide", "listicle"] {
            let (output, _) = run_to_end(spec(), &input(keyword, article_type, language));
            let seo = &output["seo"];
            let score = seo["score"].as_u64().unwrap();
            eprintln!(
                "{language} {article_type:<10} {keyword:<22} score {score} failed {}",
                seo["failed"]
            );
            assert!(score >= 80, "{language}/{article_type}/{keyword}: {seo:#}");
            for check in [
                "content_length",
                "keyword_in_first_paragraph",
                "single_h1",
                "has_links",
            ] {
                let failed = seo["failed"].as_array().unwrap();
                assert!(
                    !failed.contains(&json!(check)),
                    "{language}/{article_type}/{keyword}: {check}"
                );
            }
            let lang = format!("<html lang=\"{language}\">");
            assert!(output["html"].as_str().unwrap().contains(&lang));
        }
    }
}

#[test]
fn markdown_characters_in_the_keyword_stay_text() {
    let mut input = input("C++ & *rust_lang* [2025]", "guide", "en");
    input["affiliate"] = json!({
        "network": "digistore24",
        "product_id": 12345,
        "affiliate_id": "espresso_fan"
    });
    let (output, _) = run_to_end(spec(), &input);
    let seo = &output["seo"];
    assert_eq!(seo["failed"], json!([]), "{seo:#}");
    let html = output["html"].as_str().unwrap();
    assert!(html.contains("C++ &amp; *rust_lang* [2025]"), "{html}");
    assert!(!html.contains("<em>"), "{html}");
    let link = output["affiliate_link"]["url"].as_str().unwrap();
    assert!(link.starts_with("https://www.digistore24.com/redir/12345/espresso_fan?cid="));
}

#[test]
fn the_steps_get_the_inputs_their_kinds_expect() {
    let example = input("Kaffeevollautomat", "guide", "de");
    let step0 = spec().step_input(0, &example, &[]).unwrap();
    assert_eq!(
        step0,
        json!({ "keyword": "Kaffeevollautomat", "article_type": "guide", "language": "de" })
    );
    let (_, results) = run_to_end(spec(), &example);
    let step1 = spec().step_input(1, &example, &results[..1]).unwrap();
    assert_eq!(step1["title"], results[0]["title"]);
    assert_eq!(step1["meta_description"], results[0]["meta_description"]);
    assert_eq!(
        step1["canonical_url"],
        "https://espresso.example/kaffeevollautomat-ratgeber/"
    );
    assert_eq!(step1["language"], "de");
    let markdown = step1["markdown"].as_str().unwrap();
    assert!(markdown.starts_with("# Kaffeevollautomat\\: Der große Ratgeber für Einsteiger\n\n"));
    assert!(
        markdown.contains("\n## Kaffeevollautomat\\: Die Grundlagen\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n### Schritt 1\\: Vorbereitung\n"),
        "{markdown}"
    );
    let step2 = spec().step_input(2, &example, &results[..2]).unwrap();
    assert_eq!(
        step2,
        json!({ "html": results[1]["html"], "keyword": "Kaffeevollautomat" })
    );
    let step3 = spec().step_input(3, &example, &results[..3]).unwrap();
    assert_eq!(step3, example["affiliate"]);
}

#[test]
fn a_site_url_with_a_path_or_trailing_slash_is_a_base() {
    for (site, url) in [
        (
            "https://espresso.example/",
            "https://espresso.example/espresso-machine-review/",
        ),
        (
            "http://Example.COM/blog/",
            "http://example.com/blog/espresso-machine-review/",
        ),
        (
            " https://example.com/de ",
            "https://example.com/de/espresso-machine-review/",
        ),
    ] {
        let mut input = example_input();
        input["site_url"] = json!(site);
        assert_eq!(run_to_end(spec(), &input).0["url"], url, "{site}");
    }
}

#[test]
fn malformed_results_are_bad_steps_never_panics() {
    let example = example_input();
    let (_, good) = run_to_end(spec(), &example);
    // (result index, how it breaks, whether the output notices too: it re-reads every
    // result's shape, while the content rules are the next step's kind's business)
    type Case = (usize, fn(&mut Value), bool);
    let broken: [Case; 14] = [
        (0, |r| *r = json!(null), true),
        (0, |r| *r = json!(["title", "meta", "slug", []]), true),
        (0, |r| r["title"] = json!(5), true),
        (0, |r| r["outline"] = json!("headings"), true),
        (0, |r| r["outline"][0]["level"] = json!(1), true),
        (0, |r| r["outline"][1]["level"] = json!(300), true),
        (0, |r| r["slug"] = json!("../admin"), true),
        (0, |r| r["slug"] = json!(""), true),
        (0, |r| r["title"] = json!(""), false),
        (1, |r| *r = json!({}), true),
        (1, |r| r["html"] = json!(["<p>"]), true),
        (1, |r| r["html"] = json!("  "), false),
        (2, |r| r["score"] = json!("high"), true),
        (3, |r| r["network"] = json!("amazon"), true),
    ];
    for (index, breaks, output_notices) in broken {
        let mut results = good.clone();
        breaks(&mut results[index]);
        let shown = &results[index];
        // Steps 1 and 2 read the result before them; the affiliate step reads none.
        if index < 2 {
            let next = index + 1;
            let outcome = spec().step_input(next, &example, &results[..next]);
            let Err(WorkflowError::BadStep(message)) = &outcome else {
                panic!("result {index} = {shown}: expected BadStep, got {outcome:?}");
            };
            let names = [STEPS[index].name, STEPS[next].name];
            assert!(names.iter().any(|n| message.contains(n)), "{message}");
        }
        let outcome = spec().output(&example, &results);
        if output_notices {
            let Err(WorkflowError::BadStep(message)) = &outcome else {
                panic!("result {index} = {shown}: expected BadStep, got {outcome:?}");
            };
            assert!(message.contains(STEPS[index].name), "{message}");
        }
    }
}

#[test]
fn every_step_names_the_workflows_website() {
    let mut example = example_input();
    let (plain, _) = run_to_end(spec(), &example);
    example["website_id"] = json!("site-espresso");
    let (output, results) = run_to_end(spec(), &example);
    assert_eq!(output, plain, "the website changes no result");
    for step in 0..STEPS.len() {
        let step_input = spec().step_input(step, &example, &results[..step]).unwrap();
        assert_eq!(
            crate::kinds::website_of(&step_input).as_deref(),
            Some("site-espresso"),
            "step {step}: {step_input}"
        );
    }
    let link = spec().step_input(LINK, &example, &results[..LINK]).unwrap();
    let mut expected = example["affiliate"].clone();
    expected["website_id"] = json!("site-espresso");
    assert_eq!(link, expected);
}
