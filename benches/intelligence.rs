//! The intelligence core's paired benchmarks, each next to a bare baseline in the same run
//! (the machine is shared and noisy, so only ratios from one run mean much):
//! - search: p50/p99 of `SearchService::search` over `BENCH_DOCS` documents against a bare
//!   tantivy index of the same documents answering a plain BM25 query;
//! - graph: p50/p99 of `related_niches` and `shortest_path` on `BENCH_NODES` nodes and
//!   `BENCH_EDGES` edges against a bare petgraph two-hop walk and petgraph's Dijkstra;
//! - import: rows/s of `import_keywords` on a generated `BENCH_ROWS`-row CSV into a fresh SQLite
//!   database against a bare diesel loop writing the same rows in the same batches;
//! - gateway: p50/p99 of `Gateway::complete` (and of `Llm::complete_with`, which adds the budget
//!   check and the ledger row) to a fake OpenAI-compatible server on 127.0.0.1 against a raw
//!   reqwest POST of the same body; the difference is the gateway's overhead (goal ≤ 200 µs).
//!
//! `cargo bench --bench intelligence`; knobs: `BENCH_DOCS` (100,000), `BENCH_NODES` (100,000),
//! `BENCH_EDGES` (10 × nodes), `BENCH_ROWS` (200,000), `BENCH_QUERIES` (200 per round),
//! `BENCH_CALLS` (2,000 per round), `BENCH_ROUNDS` (5), `BENCH_ONLY=search,graph,import,gateway`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

#[path = "intelligence/gateway.rs"]
mod gateway;
#[path = "intelligence/graph.rs"]
mod graph;
#[path = "intelligence/import.rs"]
mod import;
#[path = "intelligence/search.rs"]
mod search;

fn main() {
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let wanted = |name: &str| only.is_empty() || only.split(',').any(|part| part.trim() == name);
    let mut table = Table::default();
    if wanted("search") {
        search::run(&mut table);
    }
    if wanted("graph") {
        graph::run(&mut table);
    }
    if wanted("import") {
        import::run(&mut table);
    }
    if wanted("gateway") {
        gateway::run(&mut table);
    }
    table.print();
}

pub fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

pub fn rounds() -> usize {
    env_or("BENCH_ROUNDS", 5).max(1)
}

/// Latencies of one side of a pair, gathered over all rounds.
#[derive(Debug, Default)]
pub struct Samples(Vec<Duration>);

impl Samples {
    /// Times `run`, keeping the duration.
    pub fn time<T>(&mut self, run: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = run();
        self.0.push(started.elapsed());
        out
    }

    pub fn push(&mut self, took: Duration) {
        self.0.push(took);
    }

    /// The `q` quantile in µs.
    pub fn quantile_us(&mut self, q: f64) -> f64 {
        self.0.sort_unstable();
        let at = ((self.0.len() as f64 - 1.0) * q).round() as usize;
        self.0.get(at).map_or(0.0, |d| d.as_secs_f64() * 1e6)
    }
}

/// One line of the final table: a measured figure next to its baseline.
pub struct Row {
    pub case: String,
    pub ours: String,
    pub bare: String,
    pub ratio: String,
    pub note: String,
}

#[derive(Default)]
pub struct Table(Vec<Row>);

impl Table {
    /// Adds the p50/p99 of a latency pair (ratio ours / bare).
    pub fn latency(&mut self, case: &str, ours: &mut Samples, bare: &mut Samples, note: String) {
        let (o50, o99) = (ours.quantile_us(0.5), ours.quantile_us(0.99));
        let (b50, b99) = (bare.quantile_us(0.5), bare.quantile_us(0.99));
        let row = Row {
            case: case.to_owned(),
            ours: format!("p50 {} / p99 {}", us(o50), us(o99)),
            bare: format!("p50 {} / p99 {}", us(b50), us(b99)),
            ratio: format!("{:.2}× / {:.2}×", o50 / b50, o99 / b99),
            note,
        };
        eprintln!(
            "{}: ours {}, bare {}, ratio {} {}",
            row.case, row.ours, row.bare, row.ratio, row.note
        );
        self.0.push(row);
    }

    pub fn push(&mut self, row: Row) {
        eprintln!(
            "{}: ours {}, bare {}, ratio {} {}",
            row.case, row.ours, row.bare, row.ratio, row.note
        );
        self.0.push(row);
    }

    fn print(&self) {
        println!();
        println!("| case | empire | bare baseline | ratio (p50 / p99) | note |");
        println!("|---|---|---|---|---|");
        for row in &self.0 {
            println!(
                "| {} | {} | {} | {} | {} |",
                row.case, row.ours, row.bare, row.ratio, row.note
            );
        }
    }
}

/// A duration in µs, or ms past 10 ms, for the table.
pub fn us(micros: f64) -> String {
    if micros >= 10_000.0 {
        format!("{:.1} ms", micros / 1000.0)
    } else {
        format!("{micros:.0} µs")
    }
}

/// Resident memory now, in MiB (from /proc).
pub fn rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kib| kib >> 10)
}

/// A deterministic pseudo-random stream (SplitMix64), so every run builds the same data.
pub struct Stream(pub u64);

impl Stream {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in (0, 1].
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    /// Skewed towards small indices, roughly like word frequencies in real text.
    pub fn skewed(&mut self, n: usize) -> usize {
        let (a, b) = (self.below(n as u64), self.below(n as u64));
        (a * b / n.max(1) as u64) as usize
    }
}
