//! Readability scores checked against values computed by hand from the published formulas.

use super::*;

fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

#[test]
fn flesch_of_one_simple_sentence() {
    // 6 words, 1 sentence, 6 syllables: 206.835 − 1.015·6 − 84.6·1.
    let r = readability("The cat sat on the mat.", Language::En).unwrap();
    assert_eq!((r.words, r.sentences, r.syllables), (6, 1, 6));
    assert_close(r.score, 116.145);
    assert_eq!(r.band, Band::VeryEasy);
    assert_eq!(r.language, Language::En);
}

#[test]
fn flesch_of_two_sentences() {
    // read-ing is fun (4) · we like to read long sto-ries ev-er-y day (11):
    // 11 words, 2 sentences, 15 syllables: 206.835 − 1.015·5.5 − 84.6·15/11.
    let r = readability(
        "Reading is fun. We like to read long stories every day.",
        Language::En,
    )
    .unwrap();
    assert_eq!((r.words, r.sentences, r.syllables), (11, 2, 15));
    assert_close(r.score, 206.835 - 1.015 * 5.5 - 84.6 * 15.0 / 11.0);
    assert_eq!(r.band, Band::Easy);
}

#[test]
fn amstad_of_one_simple_sentence() {
    // 4 words, 1 sentence, 4 syllables: 180 − 4 − 58.5·1.
    let r = readability("Der Hund bellt laut.", Language::De).unwrap();
    assert_eq!((r.words, r.sentences, r.syllables), (4, 1, 4));
    assert_close(r.score, 117.5);
    assert_eq!(r.band, Band::VeryEasy);
}

#[test]
fn amstad_of_harder_german() {
    // Die(1) Si-tu-a-ti-on(5) im(1) The-a-ter(3) war(1) ü-ber-mä-ßig(4) kom-pli-ziert(3) ·
    // Wir(1) gin-gen(2) nach(1) Hau-se(2): 11 words, 2 sentences, 24 syllables.
    let r = readability(
        "Die Situation im Theater war übermäßig kompliziert. Wir gingen nach Hause.",
        Language::De,
    )
    .unwrap();
    assert_eq!((r.words, r.sentences, r.syllables), (11, 2, 24));
    assert_close(r.score, 180.0 - 5.5 - 58.5 * 24.0 / 11.0);
    assert_eq!(r.band, Band::Difficult);
}

#[test]
fn the_same_text_scores_by_its_language_formula() {
    let text = "Der Hund bellt laut.";
    let en = readability(text, Language::En).unwrap();
    assert_close(en.score, 206.835 - 1.015 * 4.0 - 84.6);
}

#[test]
fn text_without_a_final_period_is_one_sentence_and_no_words_is_none() {
    let r = readability("hello world", Language::En).unwrap();
    assert_eq!(r.sentences, 1);
    assert!(readability("", Language::En).is_none());
    assert!(readability(" ... !? ", Language::De).is_none());
}

#[test]
fn bands_include_their_lower_bound() {
    let cases = [
        (120.0, Band::VeryEasy),
        (90.0, Band::VeryEasy),
        (89.99, Band::Easy),
        (80.0, Band::Easy),
        (70.0, Band::FairlyEasy),
        (60.0, Band::Standard),
        (50.0, Band::FairlyDifficult),
        (49.9, Band::Difficult),
        (30.0, Band::Difficult),
        (29.9, Band::VeryDifficult),
        (-20.0, Band::VeryDifficult),
    ];
    for (score, band) in cases {
        assert_eq!(Band::of(score), band, "{score}");
    }
    assert_eq!(
        serde_json::to_string(&Band::FairlyDifficult).unwrap(),
        format!("\"{}\"", Band::FairlyDifficult.as_str())
    );
}
