//! Search: the node's `SearchService` (per-language stemmed fields, type and language filters,
//! title boost, snippets, a blocking-pool hop) against a bare tantivy index of the same
//! documents (title and body with the default tokenizer) answering a plain BM25 query over
//! both, top 10 with the stored id and title. Same query texts, alternating rounds.

use std::path::Path;
use std::time::Instant;

use empire_actors::intelligence::data::SearchService;
use empire_actors::intelligence::search::{DocType, Language, SearchDoc, SearchIndex, SearchQuery};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, STORED, STRING, Schema, TEXT, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

use super::{Samples, Stream, Table, env_or, rounds};

const COMMIT_EVERY: usize = 10_000;
const LIMIT: usize = 10;

pub fn run(table: &mut Table) {
    let docs = env_or("BENCH_DOCS", 100_000);
    let queries = env_or("BENCH_QUERIES", 200);
    let (en, de) = (
        vocabulary(
            &[
                "run", "shoe", "gar", "den", "cof", "fee", "mak", "er", "trail", "light", "ing",
                "s",
            ],
            8000,
        ),
        vocabulary(
            &[
                "lauf", "schuh", "kaf", "fee", "ma", "schin", "en", "gar", "ten", "licht", "ung",
                "e",
            ],
            8000,
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    let started = Instant::now();
    let service = {
        let mut index = SearchIndex::open_or_create(&dir.path().join("empire")).unwrap();
        let mut rng = Stream(0x00c0_ffee);
        for (batch, chunk) in documents(&mut rng, docs, &en, &de).enumerate() {
            index.upsert(chunk).unwrap();
            index.commit_through(batch as i64 + 1).unwrap();
        }
        drop(index);
        SearchService::open(Some(&dir.path().join("empire"))).unwrap()
    };
    let ours_indexed = started.elapsed();
    assert_eq!(service.num_docs(), docs as u64);

    let started = Instant::now();
    let bare = {
        let mut rng = Stream(0x00c0_ffee);
        Bare::build(
            &dir.path().join("bare"),
            documents(&mut rng, docs, &en, &de),
        )
    };
    let bare_indexed = started.elapsed();
    eprintln!(
        "search: {docs} docs indexed in {ours_indexed:.1?} (empire) and {bare_indexed:.1?} (bare)"
    );

    let mut rng = Stream(0x5ea7c4);
    let mix: Vec<SearchQuery> = (0..queries).map(|i| query(&mut rng, i, &en, &de)).collect();
    // Warm both (first queries load postings and the doc store into the page cache).
    for q in mix.iter().take(20) {
        tokio.block_on(service.search(q.clone())).unwrap();
        bare.search(&q.q);
    }
    let (mut ours, mut theirs) = (Samples::default(), Samples::default());
    let (mut ours_hits, mut bare_hits) = (0, 0);
    for round in 0..rounds() {
        let mut empire = |samples: &mut Samples| {
            for q in &mix {
                let q = q.clone();
                ours_hits += samples
                    .time(|| tokio.block_on(service.search(q)))
                    .unwrap()
                    .len();
            }
        };
        let mut baseline = |samples: &mut Samples| {
            for q in &mix {
                bare_hits += samples.time(|| bare.search(&q.q));
            }
        };
        if round.is_multiple_of(2) {
            empire(&mut ours);
            baseline(&mut theirs);
        } else {
            baseline(&mut theirs);
            empire(&mut ours);
        }
    }
    assert!(ours_hits > 0 && bare_hits > 0);
    table.latency(
        &format!("search, {docs} docs"),
        &mut ours,
        &mut theirs,
        format!(
            "{queries} queries × {} rounds; hits {ours_hits} vs {bare_hits}; indexing {:.1} s vs {:.1} s",
            rounds(),
            ours_indexed.as_secs_f64(),
            bare_indexed.as_secs_f64()
        ),
    );
}

/// A bare tantivy index: id, title and body, default tokenizer, no filters, no snippets.
struct Bare {
    reader: IndexReader,
    parser: QueryParser,
    id: Field,
    title: Field,
}

impl Bare {
    fn build(dir: &Path, batches: impl Iterator<Item = Vec<SearchDoc>>) -> Bare {
        std::fs::create_dir_all(dir).unwrap();
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING | STORED);
        let title = builder.add_text_field("title", TEXT | STORED);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_dir(dir, builder.build()).unwrap();
        let mut writer = index.writer::<TantivyDocument>(64 << 20).unwrap();
        for batch in batches {
            for doc in batch {
                let mut out = TantivyDocument::default();
                out.add_text(id, &doc.id);
                out.add_text(title, &doc.title);
                out.add_text(body, &doc.body);
                writer.add_document(out).unwrap();
            }
            writer.commit().unwrap();
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .unwrap();
        let parser = QueryParser::for_index(&index, vec![title, body]);
        Bare {
            reader,
            parser,
            id,
            title,
        }
    }

    /// Hits found, after reading each hit's stored id and title as a result would.
    fn search(&self, q: &str) -> usize {
        let (query, _) = self.parser.parse_query_lenient(q);
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&query, &TopDocs::with_limit(LIMIT).order_by_score())
            .unwrap();
        let mut found = 0;
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            let id = doc.get_first(self.id).and_then(|v| v.as_str());
            let title = doc.get_first(self.title).and_then(|v| v.as_str());
            found += usize::from(id.is_some() && title.is_some());
        }
        found
    }
}

/// The documents in commits of `COMMIT_EVERY`: every third German, types in turn.
fn documents<'a>(
    rng: &'a mut Stream,
    docs: usize,
    en: &'a [String],
    de: &'a [String],
) -> impl Iterator<Item = Vec<SearchDoc>> + 'a {
    (0..docs.div_ceil(COMMIT_EVERY)).map(move |batch| {
        let from = batch * COMMIT_EVERY;
        (from..(from + COMMIT_EVERY).min(docs))
            .map(|n| {
                let (language, words) = if n.is_multiple_of(3) {
                    (Language::De, de)
                } else {
                    (Language::En, en)
                };
                let title_len = 3 + rng.below(6) as usize;
                let body_len = 80 + rng.below(120) as usize;
                SearchDoc {
                    id: format!("doc-{n}"),
                    doc_type: DocType::ALL[n % DocType::ALL.len()],
                    language,
                    title: text(rng, words, title_len),
                    body: text(rng, words, body_len),
                    website_id: None,
                    updated_at_ms: n as i64,
                }
            })
            .collect()
    })
}

/// One to three words; a quarter of the queries filter by type, half by language.
fn query(rng: &mut Stream, i: usize, en: &[String], de: &[String]) -> SearchQuery {
    let german = i.is_multiple_of(3);
    let len = 1 + rng.below(3) as usize;
    SearchQuery {
        q: text(rng, if german { de } else { en }, len),
        doc_type: i.is_multiple_of(4).then_some(DocType::Article),
        language: i
            .is_multiple_of(2)
            .then_some(if german { Language::De } else { Language::En }),
        limit: LIMIT,
    }
}

fn vocabulary(syllables: &[&str], size: usize) -> Vec<String> {
    let mut rng = Stream(0x5eed_0000 + size as u64);
    (0..size)
        .map(|_| {
            let parts = 2 + rng.below(3);
            (0..parts)
                .map(|_| syllables[rng.below(syllables.len() as u64) as usize])
                .collect()
        })
        .collect()
}

fn text(rng: &mut Stream, words: &[String], len: usize) -> String {
    let picked: Vec<&str> = (0..len)
        .map(|_| words[rng.skewed(words.len())].as_str())
        .collect();
    picked.join(" ")
}
