//! The languages empire writes and analyses (English and German), and detecting which one a text is in.

pub use empire_schema::types::Language;

/// The stemmer for `language`'s words.
pub(crate) const fn stemmer_algorithm(language: Language) -> rust_stemmers::Algorithm {
    match language {
        Language::En => rust_stemmers::Algorithm::English,
        Language::De => rust_stemmers::Algorithm::German,
    }
}

/// Below this many letters whatlang's trigram statistics are too thin to trust.
const MIN_LETTERS: usize = 20;

/// The language of `text` when it is reliably English or German; `None` for a text shorter than
/// 20 letters, a text whatlang ranks as any other language first, or one where whatlang, choosing
/// only between English and German, is not confident (its own reliability threshold).
///
/// whatlang's confidence over all its languages measures the gap to the runner-up, which for
/// plain English prose is often Scots or a Scandinavian language; that gap says nothing about
/// English versus German, so reliability is judged on the two-language choice.
pub fn detect(text: &str) -> Option<Language> {
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let top = whatlang::detect_lang(text)?;
    if !matches!(top, whatlang::Lang::Eng | whatlang::Lang::Deu) {
        return None;
    }
    let info = whatlang::Detector::with_allowlist(vec![whatlang::Lang::Eng, whatlang::Lang::Deu])
        .detect(text)?;
    if !info.is_reliable() || info.lang() != top {
        return None;
    }
    match info.lang() {
        whatlang::Lang::Eng => Some(Language::En),
        whatlang::Lang::Deu => Some(Language::De),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_strings_and_serde() {
        for language in Language::ALL {
            assert_eq!(language.as_str().parse::<Language>().unwrap(), language);
            let json = serde_json::to_string(&language).unwrap();
            assert_eq!(json, format!("\"{}\"", language.as_str()));
            assert_eq!(serde_json::from_str::<Language>(&json).unwrap(), language);
        }
        assert!("fr".parse::<Language>().is_err());
        assert!("EN".parse::<Language>().is_err());
    }

    #[test]
    fn english_and_german_prose_are_recognised() {
        let en = "The best running shoes for beginners are light, well cushioned and affordable.";
        let de =
            "Die besten Laufschuhe für Anfänger sind leicht, gut gedämpft und günstig zu haben.";
        let long_en = "The quick brown fox jumps over the lazy dog and keeps running through the \
                       forest until night falls.";
        assert_eq!(detect(en), Some(Language::En));
        assert_eq!(detect(long_en), Some(Language::En));
        assert_eq!(detect(de), Some(Language::De));
    }

    #[test]
    fn other_languages_short_text_and_noise_give_none() {
        let fr = "Les meilleures chaussures de course pour débutants sont légères et confortables.";
        assert_eq!(detect(fr), None);
        assert_eq!(detect("Hello world"), None);
        assert_eq!(detect("1234 5678 !!! ??? 42"), None);
        assert_eq!(detect(""), None);
    }
}
