//! The benchmark the issue asks for, as an ignored test: a deterministic 100k-node, 1M-edge
//! graph; build time, memory, and p50/p99 of `related_niches` and `shortest_path`.
//! Run with `cargo test --release -p empire-actors --lib graph::tests::bench -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use super::*;
use EdgeKind::*;
use NodeKind::*;

const NODES: u64 = 100_000;
const EDGES: usize = 1_000_000;
const QUERIES: usize = 200;

/// Node numbers by kind: 2k niches, 50k keywords, 25k products, 3k programmes, 5k websites,
/// 15k articles.
const BLOCKS: [(NodeKind, u64, u64); 6] = [
    (Niche, 0, 2_000),
    (Keyword, 2_000, 52_000),
    (Product, 52_000, 77_000),
    (Programme, 77_000, 80_000),
    (Website, 80_000, 85_000),
    (Article, 85_000, 100_000),
];

fn kind_of(n: u64) -> NodeKind {
    BLOCKS
        .iter()
        .find(|(_, from, to)| (*from..*to).contains(&n))
        .map_or(Article, |(kind, _, _)| *kind)
}

/// A member of `kind`, skewed towards low numbers (u²) so that some nodes become hubs.
fn pick(rng: &mut Stream, kind: NodeKind) -> u64 {
    let (_, from, to) = BLOCKS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .copied()
        .unwrap_or(BLOCKS[0]);
    let u = rng.unit();
    from + ((to - from) as f64 * u * u) as u64 % (to - from)
}

/// The mix of relations, in rough proportion to what the agents write.
const MIX: [(NodeKind, EdgeKind, NodeKind, u64); 9] = [
    (Niche, Targets, Keyword, 15),
    (Product, Monetises, Niche, 6),
    (Programme, Monetises, Niche, 3),
    (Website, Targets, Niche, 1),
    (Website, Targets, Keyword, 10),
    (Article, RanksFor, Keyword, 30),
    (Website, RanksFor, Keyword, 20),
    (Product, Monetises, Article, 13),
    (Niche, CompetesWith, Niche, 2),
];

fn build(rng: &mut Stream) -> KnowledgeGraph {
    let nodes = (0..NODES).map(|n| node(n, kind_of(n)));
    let mut g = KnowledgeGraph::from_rows(nodes, []).unwrap();
    let total: u64 = MIX.iter().map(|m| m.3).sum();
    while g.edge_count() < EDGES {
        let mut roll = rng.below(total);
        let &(from, kind, to, _) = MIX
            .iter()
            .find(|m| {
                let hit = roll < m.3;
                roll = roll.saturating_sub(m.3);
                hit
            })
            .unwrap();
        let (a, b) = (pick(rng, from), pick(rng, to));
        if a != b {
            g.upsert_edge(&edge(a, b, kind, 0.05 + rng.unit() * 10.0))
                .unwrap();
        }
    }
    g
}

fn percentiles(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    format!("p50 {:?}  p99 {:?}  max {:?}", at(0.5), at(0.99), at(1.0))
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
#[ignore = "benchmark: 100k nodes, 1M edges; run by hand with --release"]
fn graph_queries_on_100k_nodes_and_1m_edges() {
    let mut rng = Stream(2024);
    let before = rss_kib();
    let started = Instant::now();
    let g = build(&mut rng);
    let built = started.elapsed();
    let after = rss_kib();
    eprintln!(
        "built {} nodes, {} edges in {built:?}",
        g.len(),
        g.edge_count()
    );
    eprintln!(
        "memory: RSS {:?} KiB -> {:?} KiB; sizes: node {} B, edge slot {} B (+ ids, labels, props)",
        before,
        after,
        std::mem::size_of::<GraphNode>() + 8,
        std::mem::size_of::<EdgeData>() + 16,
    );

    let started = Instant::now();
    let (nodes, edges) = (
        g.nodes().cloned().collect::<Vec<_>>(),
        g.edges().collect::<Vec<_>>(),
    );
    let reloaded = KnowledgeGraph::from_rows(nodes, edges).unwrap();
    eprintln!("rows out and from_rows back: {:?}", started.elapsed());
    assert_eq!(reloaded.edge_count(), g.edge_count());

    let mut related = Vec::with_capacity(QUERIES);
    let mut found = 0;
    for _ in 0..QUERIES {
        let niche = id(rng.below(2_000));
        let started = Instant::now();
        found += g.related_niches(&niche, 20).unwrap().len();
        related.push(started.elapsed());
    }
    eprintln!(
        "related_niches (limit 20, {found} results): {}",
        percentiles(related)
    );

    let mut paths = Vec::with_capacity(QUERIES);
    let mut steps = 0;
    for _ in 0..QUERIES {
        let (a, b) = (id(rng.below(NODES)), id(rng.below(NODES)));
        let started = Instant::now();
        steps += g
            .shortest_path(&a, &b)
            .unwrap()
            .map_or(0, |p| p.nodes.len());
        paths.push(started.elapsed());
    }
    eprintln!(
        "shortest_path ({steps} nodes on paths): {}",
        percentiles(paths)
    );

    let mut neighbours = Vec::with_capacity(QUERIES);
    for _ in 0..QUERIES {
        let at = id(rng.below(NODES));
        let started = Instant::now();
        let _ = g.neighbours(&at, None, Direction::Both).unwrap();
        neighbours.push(started.elapsed());
    }
    eprintln!("neighbours (both ways): {}", percentiles(neighbours));

    let started = Instant::now();
    let top = g.top_by_centrality(Niche, 10);
    eprintln!(
        "top_by_centrality (PageRank over the whole graph): {:?}",
        started.elapsed()
    );
    assert_eq!(top.len(), 10);
}
