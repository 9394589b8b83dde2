//! Unit tests of `score_keywords`.

use serde_json::json;

use super::*;

fn item(keyword: &str, volume: u64, cpc: f64, difficulty: u32) -> KeywordInput {
    KeywordInput {
        keyword: keyword.into(),
        monthly_volume: volume,
        cpc_eur: cpc,
        difficulty,
    }
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn the_example_deserializes_validates_and_runs() {
    let input: Input = serde_json::from_value(example_input()).unwrap();
    assert!(validate(&input).is_empty());
    let output = run(&input).unwrap();
    assert_eq!(output.keywords.len(), 3);
}

#[test]
fn the_formula_matches_its_documentation() {
    assert_eq!(opportunity_score(0, 5.0, 0), 0.0);
    assert_eq!(opportunity_score(1000, 0.0, 0), 0.0);
    // 1 000 000 EUR at difficulty 0 is the top of the scale.
    assert_eq!(opportunity_score(1_000_000, 1.0, 0), 100.0);
    assert_eq!(opportunity_score(u64::MAX, 1e300, 0), 100.0);
    // 10 000 × 1.00 EUR × ease 0.55 = 5 500 EUR → 100 × ln(5501) / ln(1000001) ≈ 62.34.
    assert_eq!(opportunity_score(10_000, 1.0, 50), 62.34);
    // Difficulty only discounts: the hardest keyword keeps a tenth of its value.
    assert!(opportunity_score(10_000, 1.0, 100) > 0.0);
    assert!(opportunity_score(10_000, 1.0, 100) < opportunity_score(10_000, 1.0, 99));
}

#[test]
fn keywords_are_ranked_best_first() {
    let input = Input {
        keywords: vec![
            item("small", 100, 0.5, 10),
            item("big", 50_000, 2.0, 40),
            item("hard", 50_000, 2.0, 95),
        ],
    };
    let output = run(&input).unwrap();
    let order: Vec<(&str, u32)> = output
        .keywords
        .iter()
        .map(|k| (k.keyword.as_str(), k.rank))
        .collect();
    assert_eq!(order, [("big", 1), ("hard", 2), ("small", 3)]);
    assert!(output.keywords[0].score > output.keywords[1].score);
    // The input values come back unchanged next to the score.
    assert_eq!(output.keywords[0].monthly_volume, 50_000);
    assert_eq!(output.keywords[0].difficulty, 40);
}

#[test]
fn ties_are_broken_by_keyword_then_input_order() {
    let input = Input {
        keywords: vec![
            item("zebra", 1000, 1.0, 20),
            item("apple", 1000, 1.0, 20),
            item("mango", 1000, 1.0, 20),
            item("apple", 1000, 1.0, 20),
        ],
    };
    let first = run(&input).unwrap();
    let names: Vec<&str> = first.keywords.iter().map(|k| k.keyword.as_str()).collect();
    assert_eq!(names, ["apple", "apple", "mango", "zebra"]);
    let ranks: Vec<u32> = first.keywords.iter().map(|k| k.rank).collect();
    assert_eq!(ranks, [1, 2, 3, 4]);
    // Same input, same output — and a reordered input ranks the same way.
    assert_eq!(run(&input).unwrap(), first);
    let mut reversed = input.clone();
    reversed.keywords.reverse();
    assert_eq!(run(&reversed).unwrap(), first);
}

#[test]
fn a_single_keyword_gets_rank_one() {
    let output = run(&Input {
        keywords: vec![item("solo", 0, 0.0, 100)],
    })
    .unwrap();
    assert_eq!(output.keywords[0].rank, 1);
    assert_eq!(output.keywords[0].score, 0.0);
}

#[test]
fn invalid_items_are_reported_per_field() {
    let input = Input {
        keywords: vec![
            item("fine", 10, 1.0, 10),
            item("  ", 10, -1.0, 101),
            item(&"x".repeat(201), 10, f64::NAN, 0),
            item(&"ü".repeat(200), 10, f64::INFINITY, 100),
        ],
    };
    let errors = validate(&input);
    assert_eq!(
        fields(&errors),
        [
            "keywords[1].keyword",
            "keywords[1].cpc_eur",
            "keywords[1].difficulty",
            "keywords[2].keyword",
            "keywords[2].cpc_eur",
            "keywords[3].cpc_eur",
        ]
    );
    assert_eq!(run(&input), Err(ScoreError::Invalid(errors)));
}

#[test]
fn the_list_must_hold_one_to_a_thousand_keywords() {
    assert_eq!(fields(&validate(&Input { keywords: vec![] })), ["keywords"]);
    let many = Input {
        keywords: vec![item("k", 1, 1.0, 1); MAX_KEYWORDS + 1],
    };
    assert_eq!(fields(&validate(&many)), ["keywords"]);
    let most = Input {
        keywords: vec![item("k", 1, 1.0, 1); MAX_KEYWORDS],
    };
    assert!(validate(&most).is_empty());
}

#[test]
fn unknown_fields_and_wrong_types_do_not_deserialize() {
    let extra = json!({ "keywords": [{ "keyword": "a", "monthly_volume": 1, "cpc_eur": 1, "difficulty": 1, "x": 1 }] });
    assert!(serde_json::from_value::<Input>(extra).is_err());
    let negative = json!({ "keywords": [{ "keyword": "a", "monthly_volume": -1, "cpc_eur": 1, "difficulty": 1 }] });
    assert!(serde_json::from_value::<Input>(negative).is_err());
}
