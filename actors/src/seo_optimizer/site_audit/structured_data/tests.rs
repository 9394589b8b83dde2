//! Unit tests of JSON-LD validation.

use super::*;

fn blocks(json: &[&str]) -> Vec<String> {
    json.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn complete_rich_result_types_pass() {
    let valid = blocks(&[
        r#"{"@context":"https://schema.org","@type":"Article","headline":"H","author":{"@type":"Person","name":"A"},"datePublished":"2026-01-01"}"#,
        r#"{"@context":"https://schema.org","@type":"Product","name":"P","offers":{"@type":"Offer","price":"9.99","priceCurrency":"EUR"}}"#,
        r#"{"@context":"https://schema.org","@type":"Review","author":"A","itemReviewed":{"@type":"Product","name":"P","review":"x"},"reviewRating":{"@type":"Rating","ratingValue":4}}"#,
        r#"{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{"@type":"ListItem","position":1,"name":"Home","item":"https://e.com/"},{"@type":"ListItem","position":2,"name":"A"}]}"#,
        r#"{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[{"@type":"Question","name":"Q?","acceptedAnswer":{"@type":"Answer","text":"A."}}]}"#,
        r#"[{"@context":"https://schema.org","@graph":[{"@type":"Organization","name":"O"},{"@type":"WebSite","url":"https://e.com"}]}]"#,
    ]);
    assert_eq!(problems(&valid), Vec::<String>::new());
    assert!(problems(&[]).is_empty());
}

#[test]
fn broken_or_incomplete_blocks_are_named() {
    let cases = [
        (
            r#"{"@context":"https://schema.org","@type":"Article""#,
            "does not parse",
        ),
        (r#"{"@type":"Thing"}"#, "@context"),
        (
            r#"{"@context":"https://schema.org","name":"x"}"#,
            "without @type",
        ),
        (
            r#"{"@context":"https://schema.org","@type":"Article","headline":"H"}"#,
            "author, datePublished",
        ),
        (
            r#"{"@context":"https://schema.org","@type":"Product","name":"P"}"#,
            "offers, review or aggregateRating",
        ),
        (
            r#"{"@context":"https://schema.org","@type":"Review","author":"A","itemReviewed":"P","reviewRating":{}}"#,
            "reviewRating.ratingValue",
        ),
        (
            r#"{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{"position":1,"name":"Home"},{"position":2,"name":"A"}]}"#,
            "element 1",
        ),
        (
            r#"{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[{"name":"Q?"}]}"#,
            "question 1",
        ),
    ];
    for (json, expected) in cases {
        let found = problems(&blocks(&[json]));
        assert_eq!(found.len(), 1, "{json}: {found:?}");
        assert!(found[0].contains(expected), "{json}: {found:?}");
    }
}
