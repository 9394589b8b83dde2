//! Answering a `SearchQuery`: lenient parsing over the right language fields, type and language
//! filters, BM25 ranking and highlighted snippets.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Term, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument};

use super::doc::{Hit, SearchQuery};
use super::error::SearchError;
use super::index::{SearchIndex, head};
use super::kinds::Language;

/// A title match says more about a document than the same word deep in its body.
const TITLE_BOOST: f32 = 2.0;
const SNIPPET_MAX_CHARS: usize = 200;

impl SearchIndex {
    /// The best `query.limit` committed documents for `query`. Query syntax errors are
    /// forgiven (the parsable part is searched); only a blank or oversized `q` or a limit
    /// outside 1..=100 is refused.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<Hit>, SearchError> {
        validate(query)?;
        let languages = match query.language {
            Some(language) => vec![language],
            None => Language::ALL.to_vec(),
        };
        let text_query = self.text_query(&query.q, &languages);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        if let Some(doc_type) = query.doc_type {
            clauses.push((Occur::Must, filter(self.fields.doc_type, doc_type.as_str())));
        }
        if let Some(language) = query.language {
            clauses.push((Occur::Must, filter(self.fields.language, language.as_str())));
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(query.limit).order_by_score(),
        )?;
        let snippets = Snippets::new(&searcher, &*text_query, self, &languages)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            hits.push(self.hit(&doc, score, &snippets)?);
        }
        Ok(hits)
    }

    fn text_query(&self, q: &str, languages: &[Language]) -> Box<dyn Query> {
        let mut fields = Vec::with_capacity(2 * languages.len());
        for &language in languages {
            let (title, body) = self.fields.text(language);
            fields.extend([title, body]);
        }
        let mut parser = QueryParser::for_index(&self.index, fields);
        for &language in languages {
            parser.set_field_boost(self.fields.text(language).0, TITLE_BOOST);
        }
        let (parsed, errors) = parser.parse_query_lenient(q);
        if !errors.is_empty() {
            tracing::debug!(?errors, "search query parsed leniently");
        }
        parsed
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        snippets: &Snippets,
    ) -> Result<Hit, SearchError> {
        let f = &self.fields;
        let language: Language = stored_str(doc, f.language, "language")?
            .parse()
            .map_err(|_| SearchError::StoredField("language"))?;
        let source = stored_str(doc, f.snippet_source, "snippet_source")?;
        Ok(Hit {
            id: stored_str(doc, f.id, "id")?.to_owned(),
            doc_type: stored_str(doc, f.doc_type, "doc_type")?
                .parse()
                .map_err(|_| SearchError::StoredField("doc_type"))?,
            language,
            title: stored_str(doc, f.title, "title")?.to_owned(),
            snippet: snippets.render(language, source),
            score,
            website_id: doc
                .get_first(f.website_id)
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            updated_at_ms: doc
                .get_first(f.updated_at_ms)
                .and_then(|v| v.as_i64())
                .ok_or(SearchError::StoredField("updated_at_ms"))?,
        })
    }
}

fn validate(query: &SearchQuery) -> Result<(), SearchError> {
    let invalid = |field, reason| Err(SearchError::InvalidQuery { field, reason });
    if query.q.trim().is_empty() {
        return invalid("q", "must not be empty");
    }
    if query.q.chars().count() > SearchQuery::MAX_QUERY_CHARS {
        return invalid("q", "must be at most 500 characters");
    }
    if !(1..=SearchQuery::MAX_LIMIT).contains(&query.limit) {
        return invalid("limit", "must be between 1 and 100");
    }
    Ok(())
}

/// An exact match on a keyword field that narrows the result without changing its ranking.
fn filter(field: Field, value: &str) -> Box<dyn Query> {
    let term = TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    );
    Box::new(ConstScoreQuery::new(Box::new(term), 0.0))
}

fn stored_str<'a>(
    doc: &'a TantivyDocument,
    field: Field,
    name: &'static str,
) -> Result<&'a str, SearchError> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .ok_or(SearchError::StoredField(name))
}

/// One snippet generator per searched language, each knowing that language's stemmed terms.
struct Snippets {
    generators: Vec<(Language, SnippetGenerator)>,
}

impl Snippets {
    fn new(
        searcher: &Searcher,
        query: &dyn Query,
        index: &SearchIndex,
        languages: &[Language],
    ) -> Result<Self, SearchError> {
        let mut generators = Vec::with_capacity(languages.len());
        for &language in languages {
            let mut generator =
                SnippetGenerator::create(searcher, query, index.fields.text(language).1)?;
            generator.set_max_num_chars(SNIPPET_MAX_CHARS);
            generators.push((language, generator));
        }
        Ok(Snippets { generators })
    }

    fn render(&self, language: Language, source: &str) -> String {
        let snippet = self
            .generators
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, generator)| generator.snippet(source));
        match snippet {
            Some(snippet) if !snippet.is_empty() => snippet.to_html(),
            _ => escape_html(head(source, SNIPPET_MAX_CHARS)),
        }
    }
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
