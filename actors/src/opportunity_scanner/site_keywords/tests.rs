use chrono::NaiveDateTime;
use empire_schema::models::Keyword;
use serde_json::json;

use super::*;
use crate::intelligence::nlp::Language;

fn row(keyword: &str, volume: i64, cpc_cents: Option<i64>, difficulty: Option<i64>) -> Keyword {
    Keyword {
        id: format!("id-{keyword}"),
        keyword: keyword.into(),
        language: Language::De,
        volume,
        cpc_cents,
        currency: Some("EUR".into()),
        difficulty,
        niche: Some("kaffeevollautomat".into()),
        import_key: keyword.into(),
        updated_at: NaiveDateTime::default(),
    }
}

#[test]
fn the_page_count_comes_from_the_settings_within_range() {
    assert_eq!(pages_of(&json!({})), DEFAULT_PAGES);
    assert_eq!(pages_of(&json!({"pages": 42})), 42);
    assert_eq!(pages_of(&json!({"pages": 1})), MIN_PAGES);
    assert_eq!(pages_of(&json!({"pages": 5000})), MAX_PAGES);
    assert_eq!(pages_of(&json!({"pages": "ten"})), DEFAULT_PAGES);
}

#[test]
fn expansions_are_deterministic_distinct_and_enough_for_the_largest_site() {
    let de = expansions("Kaffee  Vollautomat", Language::De, MAX_PAGES);
    assert_eq!(de.len(), MAX_PAGES);
    assert_eq!(
        de,
        expansions("Kaffee Vollautomat", Language::De, MAX_PAGES)
    );
    assert_eq!(de[0], "Kaffee Vollautomat");
    assert!(
        de.contains(&"Kaffee Vollautomat kaufen".to_owned()),
        "{de:?}"
    );
    let mut unique: Vec<String> = de.iter().map(|k| k.to_lowercase()).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), MAX_PAGES);
    let en = expansions("espresso machine", Language::En, 6);
    assert_eq!(
        en,
        [
            "espresso machine",
            "best espresso machine",
            "espresso machine review",
            "espresso machine comparison",
            "how to choose espresso machine",
            "espresso machine buying guide"
        ]
    );
}

#[test]
fn imported_keywords_rank_by_score_and_expansions_fill_the_rest() {
    let rows = [
        row("kaffeevollautomat test", 1_000, Some(50), Some(40)),
        row("kaffeevollautomat kaufen", 20_000, Some(120), None),
        row("Kaffeevollautomat  Test", 10, Some(1), Some(90)),
        row(&"x".repeat(150), 99_999, Some(500), Some(1)),
    ];
    let scored = score_imported(&rows);
    // The over-long keyword is left out; the rest best first.
    assert_eq!(scored.len(), 3);
    assert_eq!(scored[0].keyword, "kaffeevollautomat kaufen");
    assert!(scored[0].score > scored[1].score);
    assert!(scored.iter().all(|k| k.source == Source::Imported));

    let picked = top_up(scored, "kaffeevollautomat", Language::De, 6);
    let words: Vec<&str> = picked.iter().map(|k| k.keyword.as_str()).collect();
    // The duplicate import (case and spacing aside) and the already imported expansions are
    // skipped; the niche itself leads the expansions.
    assert_eq!(
        words,
        [
            "kaffeevollautomat kaufen",
            "kaffeevollautomat test",
            "kaffeevollautomat",
            "beste kaffeevollautomat",
            "kaffeevollautomat vergleich",
            "kaffeevollautomat ratgeber"
        ]
    );
    assert!(
        picked[2..]
            .iter()
            .all(|k| k.score == 0.0 && k.source == Source::Expansion)
    );
    assert_eq!(top_up(Vec::new(), "x", Language::En, 3).len(), 3);
}

#[test]
fn input_needs_a_website_id_and_nothing_else() {
    use crate::kinds::decode_valid as decode;
    assert!(decode::<Input>(&example_input(), validate).is_ok());
    assert!(decode::<Input>(&json!({}), validate).is_err());
    assert!(decode::<Input>(&json!({"website_id": "a b"}), validate).is_err());
    assert!(decode::<Input>(&json!({"website_id": "a", "pages": 3}), validate).is_err());
}
