//! The languages empire writes and analyses (English and German), and detecting which one a text is in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language the NLP utilities support; its string form (`en`, `de`) is the ISO 639-1 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    De,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::De];

    pub const fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
        }
    }

    pub(crate) const fn stemmer_algorithm(self) -> rust_stemmers::Algorithm {
        match self {
            Language::En => rust_stemmers::Algorithm::English,
            Language::De => rust_stemmers::Algorithm::German,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The code was not one of [`Language::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}` (expected en or de)")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::ALL
            .into_iter()
            .find(|language| language.as_str() == s)
            .ok_or_else(|| UnknownLanguage(s.to_owned()))
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
        assert_eq!(
            "fr".parse::<Language>(),
            Err(UnknownLanguage("fr".to_owned()))
        );
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
