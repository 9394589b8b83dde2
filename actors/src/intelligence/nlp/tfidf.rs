//! TF-IDF keyword extraction: the terms a document uses more than the rest of its corpus does.

use std::collections::BTreeMap;

use rust_stemmers::Stemmer;

use super::language::stemmer_algorithm;
use super::{Language, stopwords, tokens};

/// Document frequencies of stemmed content terms over a corpus, fitted once and then used to
/// rank the terms of any document (one of the corpus or a new one).
#[derive(Debug, Clone, PartialEq)]
pub struct TfIdf {
    language: Language,
    documents: usize,
    document_frequency: BTreeMap<String, usize>,
}

impl TfIdf {
    /// Counts, for every stemmed content term, how many of `docs` contain it.
    pub fn fit<I, S>(docs: I, language: Language) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let stemmer = Stemmer::create(stemmer_algorithm(language));
        let mut documents = 0;
        let mut document_frequency = BTreeMap::<String, usize>::new();
        for doc in docs {
            documents += 1;
            let mut seen: Vec<String> = content_terms(doc.as_ref(), language, &stemmer)
                .into_iter()
                .map(|(_, stem)| stem)
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for stem in seen {
                *document_frequency.entry(stem).or_default() += 1;
            }
        }
        Self {
            language,
            documents,
            document_frequency,
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// How many documents the corpus had.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// The smoothed inverse document frequency of a stem, `ln((1 + n) / (1 + df)) + 1`: never zero,
    /// so a term found in every document still counts a little, and an unseen term counts most.
    pub fn idf(&self, stem: &str) -> f64 {
        let df = self.document_frequency.get(stem).copied().unwrap_or(0);
        ((1 + self.documents) as f64 / (1 + df) as f64).ln() + 1.0
    }

    /// The `n` best terms of `doc` by term frequency × idf, best first; ties by term. Each term is
    /// shown in the form the document uses most for its stem (ties: the alphabetically first).
    pub fn top_terms(&self, doc: &str, n: usize) -> Vec<(String, f64)> {
        let stemmer = Stemmer::create(stemmer_algorithm(self.language));
        let terms = content_terms(doc, self.language, &stemmer);
        let total = terms.len() as f64;
        let mut by_stem = BTreeMap::<String, BTreeMap<String, usize>>::new();
        for (word, stem) in terms {
            *by_stem.entry(stem).or_default().entry(word).or_default() += 1;
        }
        let mut scored: Vec<(String, f64)> = by_stem
            .into_iter()
            .filter_map(|(stem, forms)| {
                let count: usize = forms.values().sum();
                let score = count as f64 / total * self.idf(&stem);
                most_used(forms).map(|form| (form, score))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        scored.truncate(n);
        scored
    }
}

/// `(word, stem)` for every word of `text` worth ranking: not a stop word, not a bare number,
/// at least two characters.
fn content_terms(text: &str, language: Language, stemmer: &Stemmer) -> Vec<(String, String)> {
    tokens::words(text)
        .into_iter()
        .filter(|word| {
            word.chars().count() >= 2
                && word.chars().any(char::is_alphabetic)
                && !stopwords::is_stop_word(word, language)
        })
        .map(|word| {
            let stem = stemmer.stem(&word).into_owned();
            (word, stem)
        })
        .collect()
}

/// The most frequent form; the map's order makes the alphabetically first win a tie.
fn most_used(forms: BTreeMap<String, usize>) -> Option<String> {
    let mut best: Option<(String, usize)> = None;
    for (form, count) in forms {
        if best
            .as_ref()
            .is_none_or(|(_, best_count)| count > *best_count)
        {
            best = Some((form, count));
        }
    }
    best.map(|(form, _)| form)
}

#[cfg(test)]
mod tests;
