//! Snowball stemming (English and German), so "shoes" matches "shoe" and "Laufschuhe" "Laufschuh".

use rust_stemmers::Stemmer;

use super::language::stemmer_algorithm;
use super::{Language, tokens};

/// The Snowball stem of one lowercase word.
pub fn stem(word: &str, language: Language) -> String {
    Stemmer::create(stemmer_algorithm(language))
        .stem(word)
        .into_owned()
}

/// The stems of the words of `text`, in order (see [`tokens::words`]).
pub fn stems(text: &str, language: Language) -> Vec<String> {
    let stemmer = Stemmer::create(stemmer_algorithm(language));
    tokens::words(text)
        .iter()
        .map(|word| stemmer.stem(word).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_inflections_share_a_stem() {
        assert_eq!(stem("running", Language::En), "run");
        assert_eq!(stem("shoes", Language::En), stem("shoe", Language::En));
        assert_eq!(
            stem("connections", Language::En),
            stem("connected", Language::En)
        );
    }

    #[test]
    fn german_inflections_share_a_stem() {
        assert_eq!(
            stem("laufschuhe", Language::De),
            stem("laufschuhen", Language::De)
        );
        assert_eq!(stem("häuser", Language::De), stem("häusern", Language::De));
        assert_ne!(stem("laufschuhe", Language::De), "laufschuhe");
    }

    #[test]
    fn stems_tokenises_then_stems() {
        assert_eq!(
            stems("Running Shoes, running shoe!", Language::En),
            ["run", "shoe", "run", "shoe"]
        );
    }
}
