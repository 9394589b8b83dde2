//! Unit tests of `outline`.

use serde_json::json;

use super::*;

fn input(keyword: &str, article_type: ArticleType, language: Language) -> Input {
    Input {
        keyword: keyword.into(),
        article_type,
        language,
        website_id: None,
    }
}

const TYPES: [ArticleType; 4] = [
    ArticleType::Review,
    ArticleType::Comparison,
    ArticleType::Guide,
    ArticleType::Listicle,
];

#[test]
fn the_example_deserializes_validates_and_runs() {
    let input: Input = serde_json::from_value(example_input()).unwrap();
    assert!(validate(&input).is_empty());
    let output = run(&input).unwrap();
    assert_eq!(output.title, "Robot Vacuum Cleaner Review: Is It Worth It?");
    assert_eq!(output.slug, "robot-vacuum-cleaner-review");
}

#[test]
fn an_english_review_is_planned_from_its_template() {
    let output = run(&input("robot vacuum", ArticleType::Review, Language::En)).unwrap();
    assert_eq!(
        output.title,
        "Robot Vacuum Review: Is It Worth It? Our Honest Verdict"
    );
    assert!(
        output
            .meta_description
            .starts_with("Our robot vacuum review covers")
    );
    assert_eq!(output.slug, "robot-vacuum-review");
    assert_eq!(
        output.outline[0],
        Heading {
            heading: "Robot Vacuum at a Glance".into(),
            level: 2
        }
    );
    assert!(output.outline.iter().any(|h| h.level == 3));
}

#[test]
fn german_templates_are_in_german() {
    let output = run(&input("Saugroboter", ArticleType::Review, Language::De)).unwrap();
    assert_eq!(
        output.title,
        "Saugroboter im Test: Lohnt sich der Kauf wirklich?"
    );
    assert_eq!(output.slug, "saugroboter-test");
    assert!(
        output
            .outline
            .iter()
            .any(|h| h.heading == "Vor- und Nachteile")
    );
    assert!(
        output
            .outline
            .iter()
            .any(|h| h.heading == "Fazit: Unsere Bewertung")
    );

    let output = run(&input("Kühlschränke", ArticleType::Listicle, Language::De)).unwrap();
    assert_eq!(
        output.title,
        "Kühlschränke: Die besten Modelle im Überblick"
    );
    assert_eq!(output.slug, "beste-kuehlschraenke");
    assert!(output.meta_description.contains("Kühlschränke"));
}

#[test]
fn every_type_and_language_respects_the_limits() {
    let keywords = [
        "tv",
        "robot vacuum cleaner with mop",
        &"sehr langes stichwort ".repeat(4),
    ];
    for keyword in keywords {
        for article_type in TYPES {
            for language in [Language::En, Language::De] {
                let output = run(&input(keyword, article_type, language)).unwrap();
                let title_chars = output.title.chars().count();
                let description_chars = output.meta_description.chars().count();
                assert!(title_chars <= MAX_TITLE_CHARS, "{}", output.title);
                assert!(
                    description_chars <= MAX_DESCRIPTION_CHARS,
                    "{}",
                    output.meta_description
                );
                assert!(!output.slug.is_empty() && output.slug.len() <= MAX_SLUG_CHARS);
                assert!(output.outline.len() >= 8);
                assert!(output.outline.iter().all(|h| h.level == 2 || h.level == 3));
                assert_eq!(output.outline[0].level, 2);
            }
        }
    }
}

#[test]
fn a_keyword_that_names_the_type_is_not_repeated() {
    let output = run(&input("laufschuhe test", ArticleType::Review, Language::De)).unwrap();
    assert_eq!(
        output.title,
        "Laufschuhe test: Lohnt sich der Kauf wirklich?"
    );
    assert_eq!(output.slug, "laufschuhe-test");

    let output = run(&input(
        "best running shoes",
        ArticleType::Listicle,
        Language::En,
    ))
    .unwrap();
    assert_eq!(output.title, "Best Running Shoes: Our Top Picks Compared");
    assert_eq!(output.slug, "best-running-shoes");
    assert!(!output.meta_description.to_lowercase().contains("best best"));

    let output = run(&input(
        "iPhone vs Pixel",
        ArticleType::Comparison,
        Language::En,
    ))
    .unwrap();
    assert_eq!(
        output.title,
        "iPhone vs Pixel: Which One Should You Choose?"
    );
}

#[test]
fn a_long_keyword_is_shortened_but_the_type_word_kept() {
    let keyword = "extremely quiet cordless robot vacuum cleaner for pet hair and carpets";
    let output = run(&input(keyword, ArticleType::Review, Language::En)).unwrap();
    assert!(output.title.ends_with("… Review"), "{}", output.title);
    assert!(output.title.chars().count() <= MAX_TITLE_CHARS);
    assert!(output.slug.ends_with("-review"), "{}", output.slug);
}

#[test]
fn whitespace_is_normalised_and_braces_are_not_templates() {
    let output = run(&input(
        "  smart \t {K} plug ",
        ArticleType::Guide,
        Language::En,
    ))
    .unwrap();
    assert_eq!(
        output.title,
        "Smart {K} Plug: The Complete Guide for Beginners"
    );
    assert_eq!(output.slug, "smart-k-plug-guide");
}

#[test]
fn a_keyword_without_ascii_letters_still_gets_a_slug() {
    let output = run(&input("日本茶", ArticleType::Guide, Language::En)).unwrap();
    assert_eq!(output.slug, "guide");
    assert!(output.title.starts_with("日本茶"));
}

#[test]
fn output_is_deterministic() {
    let given = input("espresso machine", ArticleType::Comparison, Language::De);
    assert_eq!(run(&given).unwrap(), run(&given).unwrap());
}

#[test]
fn bad_keywords_are_rejected() {
    for keyword in [
        "",
        "   ",
        "!!!",
        "two\nlines",
        &"k".repeat(MAX_KEYWORD_CHARS + 1),
    ] {
        let given = input(keyword, ArticleType::Guide, Language::En);
        let errors = validate(&given);
        assert_eq!(errors.len(), 1, "{keyword:?}");
        assert_eq!(errors[0].field, "keyword");
        assert_eq!(run(&given), Err(OutlineError::Invalid(errors)));
    }
}

#[test]
fn unknown_enum_values_and_fields_do_not_deserialize() {
    let bad_type = json!({ "keyword": "k", "article_type": "essay", "language": "en" });
    assert!(serde_json::from_value::<Input>(bad_type).is_err());
    let bad_language = json!({ "keyword": "k", "article_type": "guide", "language": "fr" });
    assert!(serde_json::from_value::<Input>(bad_language).is_err());
    let extra = json!({ "keyword": "k", "article_type": "guide", "language": "en", "tone": "x" });
    assert!(serde_json::from_value::<Input>(extra).is_err());
}
