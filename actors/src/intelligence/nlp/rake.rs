//! RAKE (Rapid Automatic Keyword Extraction): candidate phrases are the runs of words between
//! stop words and punctuation, scored by how much their words co-occur with other words.

use std::collections::BTreeMap;

use rust_stemmers::Stemmer;

use super::language::stemmer_algorithm;
use super::{Language, stopwords, tokens};

/// One candidate phrase: its words' stems, and the words as first written.
struct Candidate {
    stems: Vec<String>,
    words: Vec<String>,
}

/// The `n` best key phrases of `text`, each with its RAKE score, best first; ties by phrase.
///
/// A word's score is its degree (the summed length of the candidates it appears in) divided by
/// its frequency; a phrase's score is the sum of its words' scores. Words are compared by stem,
/// so "shoe" and "shoes" count as one word; a phrase is shown, lowercase, as it first appeared.
pub fn rake(text: &str, language: Language, n: usize) -> Vec<(String, f64)> {
    let stemmer = Stemmer::create(stemmer_algorithm(language));
    let candidates = candidates(text, language, &stemmer);
    let mut frequency = BTreeMap::<&str, f64>::new();
    let mut degree = BTreeMap::<&str, f64>::new();
    for candidate in &candidates {
        for stem in &candidate.stems {
            *frequency.entry(stem).or_default() += 1.0;
            *degree.entry(stem).or_default() += candidate.stems.len() as f64;
        }
    }
    let word_score = |stem: &str| {
        let freq = frequency.get(stem).copied().unwrap_or(1.0);
        degree.get(stem).copied().unwrap_or(0.0) / freq
    };
    let mut phrases = BTreeMap::<String, (String, f64)>::new();
    for candidate in &candidates {
        let key = candidate.stems.join(" ");
        let score = candidate.stems.iter().map(|stem| word_score(stem)).sum();
        phrases
            .entry(key)
            .or_insert_with(|| (candidate.words.join(" "), score));
    }
    let mut ranked: Vec<(String, f64)> = phrases.into_values().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(n);
    ranked
}

fn candidates(text: &str, language: Language, stemmer: &Stemmer) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    for fragment in text.split(is_phrase_delimiter) {
        let mut current = Candidate {
            stems: Vec::new(),
            words: Vec::new(),
        };
        for word in tokens::words(fragment) {
            let breaks_phrase =
                stopwords::is_stop_word(&word, language) || !word.chars().any(char::is_alphabetic);
            if breaks_phrase {
                flush(&mut candidates, &mut current);
            } else {
                current.stems.push(stemmer.stem(&word).into_owned());
                current.words.push(word);
            }
        }
        flush(&mut candidates, &mut current);
    }
    candidates
}

fn flush(candidates: &mut Vec<Candidate>, current: &mut Candidate) {
    if !current.stems.is_empty() {
        candidates.push(Candidate {
            stems: std::mem::take(&mut current.stems),
            words: std::mem::take(&mut current.words),
        });
    }
}

/// Punctuation ends a phrase; apostrophes, hyphens and combining marks sit inside words.
fn is_phrase_delimiter(c: char) -> bool {
    !(c.is_alphanumeric() || c.is_whitespace() || matches!(c, '\'' | '\u{2019}' | '-' | '\u{308}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_a_hand_computed_example() {
        // Candidates: [keyword extraction] [easy] [keyword extraction tools extract keywords].
        // Stems keyword and extract: frequency 3, degree 2 + 5 + 5 = 12, score 4; tool: 5/1;
        // easy: 1/1. Phrases: 4+4+5+4+4 = 21, 4+4 = 8, 1.
        let text = "Keyword extraction is easy. Keyword extraction tools extract keywords.";
        assert_eq!(
            rake(text, Language::En, 10),
            [
                ("keyword extraction tools extract keywords".to_owned(), 21.0),
                ("keyword extraction".to_owned(), 8.0),
                ("easy".to_owned(), 1.0),
            ]
        );
    }

    #[test]
    fn stop_words_punctuation_and_numbers_delimit_phrases() {
        let text = "Buy cheap flights, compare 3 hotels and book rental cars";
        let phrases: Vec<String> = rake(text, Language::En, 10)
            .into_iter()
            .map(|(phrase, _)| phrase)
            .collect();
        assert_eq!(
            phrases,
            ["book rental cars", "buy cheap flights", "compare", "hotels"]
        );
    }

    #[test]
    fn ties_are_ordered_by_phrase_and_n_limits() {
        let ranked = rake("banana split. apple pie.", Language::En, 10);
        assert_eq!(
            ranked,
            [
                ("apple pie".to_owned(), 4.0),
                ("banana split".to_owned(), 4.0)
            ]
        );
        assert_eq!(rake("banana split. apple pie.", Language::En, 1).len(), 1);
    }

    #[test]
    fn german_stop_words_delimit_german_phrases() {
        let text = "Die besten Laufschuhe für lange Läufe im Wald und auf der Straße";
        let phrases: Vec<String> = rake(text, Language::De, 10)
            .into_iter()
            .map(|(phrase, _)| phrase)
            .collect();
        assert_eq!(
            phrases,
            ["besten laufschuhe", "lange läufe", "straße", "wald"]
        );
    }

    #[test]
    fn text_without_content_words_gives_nothing() {
        assert!(rake("", Language::En, 5).is_empty());
        assert!(rake("and the of, 42!", Language::En, 5).is_empty());
    }
}
