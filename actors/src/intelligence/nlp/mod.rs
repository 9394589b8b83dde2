//! NLP utilities for English and German text: language detection, tokenising, stop words,
//! stemming, keyword extraction (TF-IDF, RAKE), readability and keyphrase density. All pure and
//! deterministic; content generation and the SEO audit build on them.

pub mod density;
pub mod language;
pub mod rake;
pub mod readability;
pub mod stem;
pub mod stopwords;
pub mod syllables;
pub mod tfidf;
pub mod tokens;

pub use density::{Placement, contains, density, occurrences, placement};
pub use language::{Language, detect};
pub use rake::rake;
pub use readability::{Band, Readability, readability};
pub use stem::{stem, stems};
pub use stopwords::{is_stop_word, stop_words};
pub use tfidf::TfIdf;
pub use tokens::{sentences, words};
