//! The index schema and its two stemming analyzers.
//!
//! Title and body go to per-language fields (`title_en`, `body_de`, …) so each language is
//! stemmed by its own analyzer and keeps its own BM25 statistics. The stored `title` and
//! `snippet_source` are what a hit shows; they are not indexed.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    Language as TantivyLanguage, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

use super::kinds::Language;

/// Tokens longer than this are junk (hashes, base64, URLs glued together), not words.
const MAX_TOKEN_BYTES: usize = 40;

#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub id: Field,
    pub doc_type: Field,
    pub language: Field,
    pub website_id: Field,
    pub updated_at_ms: Field,
    pub title: Field,
    pub snippet_source: Field,
    title_en: Field,
    body_en: Field,
    title_de: Field,
    body_de: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING | STORED);
        let doc_type = builder.add_text_field("doc_type", STRING | STORED);
        let language = builder.add_text_field("language", STRING | STORED);
        let website_id = builder.add_text_field("website_id", STRING | STORED);
        let updated_at_ms = builder.add_i64_field("updated_at_ms", INDEXED | STORED | FAST);
        let title = builder.add_text_field("title", STORED);
        let snippet_source = builder.add_text_field("snippet_source", STORED);
        let title_en = builder.add_text_field("title_en", stemmed(Language::En));
        let body_en = builder.add_text_field("body_en", stemmed(Language::En));
        let title_de = builder.add_text_field("title_de", stemmed(Language::De));
        let body_de = builder.add_text_field("body_de", stemmed(Language::De));
        let fields = Fields {
            id,
            doc_type,
            language,
            website_id,
            updated_at_ms,
            title,
            snippet_source,
            title_en,
            body_en,
            title_de,
            body_de,
        };
        (builder.build(), fields)
    }

    /// The indexed (title, body) fields of one language.
    pub fn text(&self, language: Language) -> (Field, Field) {
        match language {
            Language::En => (self.title_en, self.body_en),
            Language::De => (self.title_de, self.body_de),
        }
    }
}

fn analyzer_name(language: Language) -> &'static str {
    match language {
        Language::En => "en_stem",
        Language::De => "de_stem",
    }
}

fn stemmed(language: Language) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer_name(language))
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    TextOptions::default().set_indexing_options(indexing)
}

/// Tokenizers are not persisted in the index: every opened `Index` needs them registered
/// before it writes, parses a query or builds a snippet.
pub(super) fn register_analyzers(index: &Index) {
    for language in Language::ALL {
        let stemmer = match language {
            Language::En => TantivyLanguage::English,
            Language::De => TantivyLanguage::German,
        };
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(Stemmer::new(stemmer))
            .build();
        index
            .tokenizers()
            .register(analyzer_name(language), analyzer);
    }
}
