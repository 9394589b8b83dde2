//! Unit tests of page fact gathering.

use super::*;

const PAGE: &str = r#"<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <META NAME="Description" CONTENT="Alles &uuml;ber  M&uuml;sli">
  <meta name="viewport" content="width=device-width">
  <title>
    M&uuml;sli im Test
  </title>
  <link rel="stylesheet" href="/a.css">
  <link rel="Canonical" href="https://example.com/muesli">
</head>
<body>
  <h1>Das beste <em>Müsli</em></h1>
  <p>   </p>
  <p>Unser Müsli-Test &amp; mehr.</p>
  <h2>Eins</h2><h2>Zwei</h2>
  <img src="a.png" alt="Schale"><img src="b.png"><img src="c.png" alt=" ">
  <a href="/x">intern</a> <a href="">leer</a> <a>ohne</a>
</body>
</html>"#;

#[test]
fn a_well_formed_page_yields_its_facts() {
    let facts = gather(PAGE);
    assert_eq!(facts.lang.as_deref(), Some("de"));
    assert_eq!(facts.title.as_deref(), Some("Müsli im Test"));
    assert_eq!(facts.meta_description.as_deref(), Some("Alles über Müsli"));
    assert!(facts.has_viewport);
    assert_eq!(
        facts.canonical.as_deref(),
        Some("https://example.com/muesli")
    );
    assert_eq!(facts.h1, ["Das beste Müsli"]);
    assert_eq!(facts.h2_count, 2);
    assert_eq!(
        facts.first_paragraph.as_deref(),
        Some("Unser Müsli-Test & mehr.")
    );
    assert_eq!(
        facts.image_alts,
        [Some("Schale".to_owned()), None, Some(String::new())]
    );
    assert_eq!(facts.links, ["/x"]);
    // Das beste Müsli / Unser Müsli-Test & mehr. / Eins Zwei / intern leer ohne
    assert_eq!(facts.word_count, 3 + 3 + 2 + 3);
}

#[test]
fn unclosed_elements_end_where_the_next_one_starts() {
    let facts = gather("<h1>First<p>Para one<p>Para two<h1>Second");
    assert_eq!(facts.h1, ["First", "Second"]);
    assert_eq!(facts.first_paragraph.as_deref(), Some("Para one"));
}

#[test]
fn an_empty_or_garbage_document_has_no_facts() {
    assert_eq!(gather(""), PageFacts::default());
    // A title tag cut off mid-way counts as an empty title.
    let facts = gather("<<<>>> <title");
    assert_eq!(facts.title.as_deref(), Some(""));
    assert!(facts.h1.is_empty());
}

#[test]
fn head_text_is_not_counted_as_content() {
    let facts = gather("<head><title>a b c</title></head><body>one two</body>");
    assert_eq!(facts.word_count, 2);
}
