//! Keyphrase placement and density: where and how often a phrase occurs in a text, matched by
//! stems so "running shoe" finds "Running Shoes". The SEO audit builds its keyphrase checks on these.

use serde::{Deserialize, Serialize};

use super::{Language, stem, tokens};

/// Where and how often a keyphrase occurs in a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// Non-overlapping occurrences; a phrase never spans two sentences.
    pub occurrences: usize,
    /// Words in the text.
    pub words: usize,
    /// Index (from 0) of the word where the first occurrence starts.
    pub first_word: Option<usize>,
    /// Index (from 0) of the first sentence that contains the phrase.
    pub first_sentence: Option<usize>,
    /// Occurrences per word, `occurrences / words` (0.02 is 2 %); 0 when the text has no words.
    pub density: f64,
}

/// Finds `phrase` in `text` by the stems of their words; an empty phrase never occurs.
pub fn placement(text: &str, phrase: &str, language: Language) -> Placement {
    let needle = stem::stems(phrase, language);
    let mut found = Placement {
        occurrences: 0,
        words: 0,
        first_word: None,
        first_sentence: None,
        density: 0.0,
    };
    for (sentence_index, sentence) in tokens::sentences(text).into_iter().enumerate() {
        let haystack = stem::stems(sentence, language);
        for start in matches(&haystack, &needle) {
            found.occurrences += 1;
            found.first_word.get_or_insert(found.words + start);
            found.first_sentence.get_or_insert(sentence_index);
        }
        found.words += haystack.len();
    }
    if found.words > 0 {
        found.density = found.occurrences as f64 / found.words as f64;
    }
    found
}

/// Occurrences of `phrase` per word of `text` (see [`Placement::density`]).
pub fn density(text: &str, phrase: &str, language: Language) -> f64 {
    placement(text, phrase, language).density
}

/// How many times `phrase` occurs in `text` (see [`Placement::occurrences`]).
pub fn occurrences(text: &str, phrase: &str, language: Language) -> usize {
    placement(text, phrase, language).occurrences
}

/// Whether `phrase` occurs in `text` at least once: for titles, headings, slugs and alt texts.
pub fn contains(text: &str, phrase: &str, language: Language) -> bool {
    occurrences(text, phrase, language) > 0
}

/// Start indices of the non-overlapping occurrences of `needle` in `haystack`.
fn matches(haystack: &[String], needle: &[String]) -> Vec<usize> {
    let mut starts = Vec::new();
    if needle.is_empty() {
        return starts;
    }
    let mut index = 0;
    while index + needle.len() <= haystack.len() {
        if haystack[index..index + needle.len()] == *needle {
            starts.push(index);
            index += needle.len();
        } else {
            index += 1;
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Buying running shoes is hard. The best Running Shoes fit well. \
                        Shoes for running are everywhere.";

    #[test]
    fn occurrences_match_by_stem_and_case_insensitively() {
        let found = placement(TEXT, "running shoe", Language::En);
        assert_eq!(found.occurrences, 2);
        assert_eq!(found.words, 16);
        assert_eq!(found.first_word, Some(1));
        assert_eq!(found.first_sentence, Some(0));
        assert!((found.density - 2.0 / 16.0).abs() < 1e-12);
        assert_eq!(occurrences(TEXT, "shoes", Language::En), 3);
    }

    #[test]
    fn words_out_of_order_or_across_sentences_do_not_count() {
        assert_eq!(occurrences(TEXT, "shoes running", Language::En), 0);
        assert_eq!(
            occurrences(
                "I like running. Shoes are nice.",
                "running shoes",
                Language::En
            ),
            0
        );
    }

    #[test]
    fn first_sentence_and_word_point_at_the_first_occurrence() {
        let found = placement(TEXT, "fit well", Language::En);
        assert_eq!(found.first_sentence, Some(1));
        assert_eq!(found.first_word, Some(9));
    }

    #[test]
    fn occurrences_do_not_overlap() {
        assert_eq!(occurrences("go go go go", "go go", Language::En), 2);
    }

    #[test]
    fn german_inflections_match() {
        let text = "Laufschuhe im Test: diese Laufschuhen sind leicht.";
        assert_eq!(occurrences(text, "Laufschuh", Language::De), 2);
        assert!(contains(text, "LAUFSCHUHE", Language::De));
        assert!(!contains(text, "Wanderschuhe", Language::De));
    }

    #[test]
    fn empty_phrase_or_text_gives_zero() {
        assert_eq!(occurrences(TEXT, "", Language::En), 0);
        assert_eq!(occurrences(TEXT, " ,. ", Language::En), 0);
        let empty = placement("", "shoes", Language::En);
        assert_eq!(
            (empty.words, empty.occurrences, empty.first_word),
            (0, 0, None)
        );
        assert_eq!(density("", "shoes", Language::En), 0.0);
    }
}
