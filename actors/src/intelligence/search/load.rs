//! A manual measurement: search latency over 100k generated documents. Run with
//! `cargo test -p empire-actors --release --lib intelligence::search::load -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use super::*;

const DOCS: usize = 100_000;
const QUERIES: usize = 200;
const COMMIT_EVERY: usize = 10_000;

/// A fixed-seed xorshift generator, so every run indexes and queries the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small indices, roughly like word frequencies in real text.
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a * b / n
    }
}

fn vocabulary(syllables: &[&str], size: usize) -> Vec<String> {
    let mut rng = Rng(0x5eed_0000 + size as u64);
    (0..size)
        .map(|_| {
            let parts = 2 + rng.below(3);
            (0..parts)
                .map(|_| syllables[rng.below(syllables.len())])
                .collect()
        })
        .collect()
}

fn text(rng: &mut Rng, words: &[String], len: usize) -> String {
    let picked: Vec<&str> = (0..len)
        .map(|_| words[rng.skewed(words.len())].as_str())
        .collect();
    picked.join(" ")
}

#[test]
#[ignore = "manual measurement: builds 100k documents"]
fn search_latency_over_100k_documents() {
    let en_words = vocabulary(
        &[
            "run", "shoe", "gar", "den", "cof", "fee", "mak", "er", "trail", "light", "ing", "s",
        ],
        8000,
    );
    let de_words = vocabulary(
        &[
            "lauf", "schuh", "kaf", "fee", "ma", "schin", "en", "gar", "ten", "licht", "ung", "e",
        ],
        8000,
    );
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open_or_create(dir.path()).unwrap();
    let mut rng = Rng(0x00c0_ffee);
    let started = Instant::now();
    for batch in 0..DOCS / COMMIT_EVERY {
        let docs: Vec<SearchDoc> = (0..COMMIT_EVERY)
            .map(|i| {
                let n = batch * COMMIT_EVERY + i;
                let (language, words) = if n.is_multiple_of(3) {
                    (Language::De, &de_words)
                } else {
                    (Language::En, &en_words)
                };
                let title_len = 3 + rng.below(6);
                let body_len = 80 + rng.below(120);
                SearchDoc {
                    id: format!("doc-{n}"),
                    doc_type: DocType::ALL[n % DocType::ALL.len()],
                    language,
                    title: text(&mut rng, words, title_len),
                    body: text(&mut rng, words, body_len),
                    website_id: None,
                    updated_at_ms: n as i64,
                }
            })
            .collect();
        index.upsert(docs).unwrap();
        index
            .commit_through(((batch + 1) * COMMIT_EVERY) as i64)
            .unwrap();
    }
    let indexed_in = started.elapsed();
    assert_eq!(index.num_docs(), DOCS as u64);

    let mut latencies: Vec<Duration> = Vec::with_capacity(QUERIES);
    let mut total_hits = 0;
    for i in 0..QUERIES {
        let words = if i.is_multiple_of(3) {
            &de_words
        } else {
            &en_words
        };
        let len = 1 + rng.below(3);
        let query = SearchQuery {
            q: text(&mut rng, words, len),
            doc_type: i.is_multiple_of(4).then_some(DocType::Article),
            language: i.is_multiple_of(2).then_some(if i.is_multiple_of(3) {
                Language::De
            } else {
                Language::En
            }),
            limit: 10,
        };
        let started = Instant::now();
        total_hits += index.search(&query).unwrap().len();
        latencies.push(started.elapsed());
    }
    latencies.sort();
    let at = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
    eprintln!(
        "search over {DOCS} docs: indexed in {indexed_in:?} ({COMMIT_EVERY}-doc commits); \
         {QUERIES} queries: p50 {:?}, p99 {:?}, max {:?}; {total_hits} hits",
        at(50),
        at(99),
        latencies[latencies.len() - 1],
    );
    assert!(total_hits > 0);
}
