//! Readability scores: Flesch Reading Ease for English, Amstad's German adaptation for German.

use serde::{Deserialize, Serialize};

use super::{Language, syllables, tokens};

/// How hard a text is to read, from its score on the Flesch scale (which Amstad's formula shares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 90 and above.
    VeryEasy,
    /// 80 to below 90.
    Easy,
    /// 70 to below 80.
    FairlyEasy,
    /// 60 to below 70.
    Standard,
    /// 50 to below 60.
    FairlyDifficult,
    /// 30 to below 50.
    Difficult,
    /// Below 30.
    VeryDifficult,
}

impl Band {
    pub const fn as_str(self) -> &'static str {
        match self {
            Band::VeryEasy => "very_easy",
            Band::Easy => "easy",
            Band::FairlyEasy => "fairly_easy",
            Band::Standard => "standard",
            Band::FairlyDifficult => "fairly_difficult",
            Band::Difficult => "difficult",
            Band::VeryDifficult => "very_difficult",
        }
    }

    /// The band a score falls in; the lower bound of each band belongs to it.
    pub fn of(score: f64) -> Band {
        match score {
            s if s >= 90.0 => Band::VeryEasy,
            s if s >= 80.0 => Band::Easy,
            s if s >= 70.0 => Band::FairlyEasy,
            s if s >= 60.0 => Band::Standard,
            s if s >= 50.0 => Band::FairlyDifficult,
            s if s >= 30.0 => Band::Difficult,
            _ => Band::VeryDifficult,
        }
    }
}

/// A readability score and the counts it was computed from. The score is not clamped: very short
/// sentences of one-syllable words score above 100, dense prose below 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Readability {
    pub language: Language,
    pub score: f64,
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    pub band: Band,
}

/// Flesch Reading Ease (`206.835 − 1.015·words/sentences − 84.6·syllables/words`) for English or
/// Amstad (`180 − words/sentences − 58.5·syllables/words`) for German; `None` for a text without
/// words.
pub fn readability(text: &str, language: Language) -> Option<Readability> {
    let sentences = tokens::sentences(text)
        .into_iter()
        .filter(|sentence| !tokens::words(sentence).is_empty())
        .count()
        .max(1);
    let words = tokens::words(text);
    if words.is_empty() {
        return None;
    }
    let syllables: usize = words
        .iter()
        .map(|word| syllables::count(word, language))
        .sum();
    let words_per_sentence = words.len() as f64 / sentences as f64;
    let syllables_per_word = syllables as f64 / words.len() as f64;
    let score = match language {
        Language::En => 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word,
        Language::De => 180.0 - words_per_sentence - 58.5 * syllables_per_word,
    };
    Some(Readability {
        language,
        score,
        words: words.len(),
        sentences,
        syllables,
        band: Band::of(score),
    })
}

#[cfg(test)]
mod tests;
