//! Unit tests of `render_page`.

use serde_json::json;

use super::*;

fn input(markdown: &str) -> Input {
    Input {
        markdown: markdown.into(),
        title: "Robot Vacuum Review".into(),
        meta_description: "All about robot vacuums.".into(),
        canonical_url: "https://example.com/robot-vacuum-review".into(),
        language: None,
        website_id: None,
    }
}

fn render(given: &Input) -> String {
    run(given).unwrap().html
}

#[test]
fn the_example_deserializes_validates_and_runs() {
    let input: Input = serde_json::from_value(example_input()).unwrap();
    assert!(validate(&input).is_empty());
    let html = run(&input).unwrap().html;
    assert!(html.contains("<h1>Robot Vacuum Review</h1>"));
    assert!(html.contains("<a href=\"https://example.com/test\">our test</a>"));
}

#[test]
fn the_page_has_every_head_element() {
    let html = render(&input("Hello *world*."));
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    for needle in [
        "<meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<title>Robot Vacuum Review</title>",
        "<meta name=\"description\" content=\"All about robot vacuums.\">",
        "<link rel=\"canonical\" href=\"https://example.com/robot-vacuum-review\">",
        "<p>Hello <em>world</em>.</p>",
    ] {
        assert!(html.contains(needle), "missing {needle} in\n{html}");
    }
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn the_title_becomes_the_h1_only_when_the_markdown_has_none() {
    let html = render(&input("## Section\n\ntext"));
    assert_eq!(html.matches("<h1>").count(), 1);
    assert!(html.contains("<h1>Robot Vacuum Review</h1>"));
    let html = render(&input("# Own Heading\n\ntext"));
    assert_eq!(html.matches("<h1>").count(), 1);
    assert!(html.contains("<h1>Own Heading</h1>"));
}

#[test]
fn raw_html_in_markdown_is_shown_as_text() {
    let html = render(&input(
        "<script>alert(1)</script>\n\nInline <img src=x onerror=alert(1)> here.",
    ));
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
}

#[test]
fn scripting_links_are_neutralised() {
    let html = render(&input(
        "[a](javascript:alert(1)) [b](JAVASCRIPT:x) ![c](data:image/svg+xml,x) <javascript:alert(2)> [d](/ok)",
    ));
    // The autolink's text may still read "javascript:…"; no attribute may hold it.
    assert!(!html.to_lowercase().contains("=\"javascript:"), "{html}");
    assert!(!html.contains("=\"data:"), "{html}");
    assert!(html.contains("<img src=\"#\" alt=\"c\" />"), "{html}");
    assert!(html.contains("<a href=\"#\">a</a>"), "{html}");
    assert!(html.contains("<a href=\"/ok\">d</a>"), "{html}");
}

#[test]
fn head_values_are_escaped() {
    let mut given = input("text");
    given.title = "Tom & Jerry's <b>\"best\"</b>".into();
    given.meta_description = "\"><script>alert(1)</script>".into();
    given.canonical_url = "https://example.com/a?b=\"c\"&d=<e>".into();
    given.language = Some("de-AT".into());
    let html = render(&given);
    assert!(
        html.contains("<title>Tom &amp; Jerry&#39;s &lt;b&gt;&quot;best&quot;&lt;/b&gt;</title>")
    );
    assert!(html.contains("content=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
    assert!(!html.contains("<script"));
    assert!(html.contains("<html lang=\"de-AT\">"));
    // The URL is normalised (quotes and brackets percent-encoded), then attribute-escaped.
    assert!(
        html.contains("href=\"https://example.com/a?b=%22c%22&amp;d=%3Ce%3E\""),
        "{html}"
    );
}

#[test]
fn markdown_features_render() {
    let html = render(&input(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\n`<code>`",
    ));
    assert!(html.contains("<table>"));
    assert!(html.contains("<del>old</del>"));
    assert!(html.contains("checkbox"));
    assert!(html.contains("<code>&lt;code&gt;</code>"));
}

#[test]
fn empty_markdown_still_makes_a_page() {
    let html = render(&input(""));
    assert!(html.contains("<h1>Robot Vacuum Review</h1>"));
}

#[test]
fn bad_input_is_rejected_per_field() {
    let mut given = input(&"x".repeat(MAX_MARKDOWN_BYTES + 1));
    given.title = " ".into();
    given.meta_description = "two\nlines".into();
    given.canonical_url = "javascript:alert(1)".into();
    given.language = Some("english!".into());
    let errors = validate(&given);
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "markdown",
            "title",
            "meta_description",
            "canonical_url",
            "language"
        ]
    );
    assert_eq!(run(&given), Err(RenderError::Invalid(errors)));
}

#[test]
fn relative_canonical_urls_are_rejected() {
    for url in ["/robot-vacuum", "example.com/x", "ftp://example.com/x"] {
        let mut given = input("text");
        given.canonical_url = url.into();
        assert_eq!(validate(&given)[0].field, "canonical_url", "{url}");
    }
}

#[test]
fn language_tags_are_checked() {
    for good in ["en", "de", "de-AT", "zh-Hant-TW", "gsw"] {
        assert!(is_language_tag(good), "{good}");
    }
    for bad in [
        "",
        "e",
        "english",
        "de_AT",
        "de-",
        "\"x",
        "en-toolongsubtag",
    ] {
        assert!(!is_language_tag(bad), "{bad}");
    }
}

#[test]
fn unknown_fields_do_not_deserialize() {
    let extra = json!({
        "markdown": "", "title": "t", "meta_description": "d",
        "canonical_url": "https://e.com/", "script": "x"
    });
    assert!(serde_json::from_value::<Input>(extra).is_err());
}
