//! Tests for TF-IDF fitting and ranking against hand-computed scores.

use super::*;

const CORPUS: [&str; 3] = [
    "Running shoes for trail running.",
    "Trail maps and trail guides.",
    "Shoes for the city.",
];

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-9
}

#[test]
fn document_frequencies_count_documents_not_occurrences() {
    let model = TfIdf::fit(CORPUS, Language::En);
    assert_eq!(model.documents(), 3);
    // "trail" appears three times but in two documents: ln(4/3) + 1.
    assert!(close(model.idf("trail"), (4.0f64 / 3.0).ln() + 1.0));
    assert!(close(model.idf("run"), 2.0f64.ln() + 1.0));
    assert!(close(model.idf("unseen"), 4.0f64.ln() + 1.0));
    // Stop words are never counted.
    assert!(close(model.idf("for"), 4.0f64.ln() + 1.0));
}

#[test]
fn top_terms_match_hand_computed_scores_and_break_ties_by_term() {
    let model = TfIdf::fit(CORPUS, Language::En);
    let top = model.top_terms(CORPUS[0], 10);
    let terms: Vec<&str> = top.iter().map(|(term, _)| term.as_str()).collect();
    // run: 2/4 × (ln 2 + 1); shoe and trail tie at 1/4 × (ln 4/3 + 1), so alphabetical.
    assert_eq!(terms, ["running", "shoes", "trail"]);
    assert!(close(top[0].1, 0.5 * (2.0f64.ln() + 1.0)));
    assert!(close(top[1].1, 0.25 * ((4.0f64 / 3.0).ln() + 1.0)));
    assert!(close(top[1].1, top[2].1));
}

#[test]
fn a_term_rare_in_the_corpus_outranks_a_common_one_used_as_often() {
    let model = TfIdf::fit(CORPUS, Language::En);
    let top = model.top_terms("City shoes and city maps", 1);
    assert_eq!(top.len(), 1);
    assert_eq!(top[0].0, "city");
}

#[test]
fn the_most_used_form_of_a_stem_is_shown() {
    let model = TfIdf::fit(["nothing in common"], Language::En);
    let top = model.top_terms("Shoes, shoes, shoe.", 5);
    assert_eq!(top.len(), 1);
    assert_eq!(top[0].0, "shoes");
}

#[test]
fn german_terms_are_stemmed_and_stop_words_skipped() {
    let corpus = ["Die besten Laufschuhe für den Wald", "Der Wald im Winter"];
    let model = TfIdf::fit(corpus, Language::De);
    let terms: Vec<String> = model
        .top_terms("Laufschuhe und Laufschuhen für den Wald", 3)
        .into_iter()
        .map(|(term, _)| term)
        .collect();
    assert_eq!(terms, ["laufschuhe", "wald"]);
}

#[test]
fn empty_inputs_give_nothing() {
    let model = TfIdf::fit(Vec::<String>::new(), Language::En);
    assert_eq!(model.documents(), 0);
    assert!(model.top_terms("", 5).is_empty());
    assert!(model.top_terms("the and of", 5).is_empty());
    assert!(
        TfIdf::fit(CORPUS, Language::En)
            .top_terms(CORPUS[0], 0)
            .is_empty()
    );
}
