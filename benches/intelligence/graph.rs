//! The knowledge graph: `related_niches` (limit 20) and `shortest_path` on a deterministic graph
//! of `BENCH_NODES` nodes and `BENCH_EDGES` edges (hubs, in the agents' mix of relations),
//! against the same graph as a bare petgraph `UnGraph` with edge cost `1 / weight`: a two-hop
//! weighted-overlap walk with a std `HashMap`, and `petgraph::algo::dijkstra` to the goal.
//! The answers are checked against each other.

use std::collections::HashSet;
use std::time::Instant;

use empire_actors::intelligence::graph::{
    Direction, EdgeKind, GraphEdge, GraphNode, KnowledgeGraph, NodeKind, Upserted,
};

#[path = "graph_bare.rs"]
mod bare;

use bare::Bare;

use super::{Row, Samples, Stream, Table, env_or, rounds, rss_mib, us};

const RELATED_LIMIT: usize = 20;

/// The share of nodes of each kind, in thousandths: 2% niches, 50% keywords, 25% products,
/// 3% programmes, 5% websites, 15% articles.
const SHARES: [(NodeKind, u64); 6] = [
    (NodeKind::Niche, 20),
    (NodeKind::Keyword, 500),
    (NodeKind::Product, 250),
    (NodeKind::Programme, 30),
    (NodeKind::Website, 50),
    (NodeKind::Article, 150),
];

/// The mix of relations, in rough proportion to what the agents write.
const MIX: [(NodeKind, EdgeKind, NodeKind, u64); 9] = [
    (NodeKind::Niche, EdgeKind::Targets, NodeKind::Keyword, 15),
    (NodeKind::Product, EdgeKind::Monetises, NodeKind::Niche, 6),
    (NodeKind::Programme, EdgeKind::Monetises, NodeKind::Niche, 3),
    (NodeKind::Website, EdgeKind::Targets, NodeKind::Niche, 1),
    (NodeKind::Website, EdgeKind::Targets, NodeKind::Keyword, 10),
    (NodeKind::Article, EdgeKind::RanksFor, NodeKind::Keyword, 30),
    (NodeKind::Website, EdgeKind::RanksFor, NodeKind::Keyword, 20),
    (
        NodeKind::Product,
        EdgeKind::Monetises,
        NodeKind::Article,
        13,
    ),
    (NodeKind::Niche, EdgeKind::CompetesWith, NodeKind::Niche, 2),
];

/// Node numbers by kind: `[from, to)` per kind.
struct Blocks(Vec<(NodeKind, u64, u64)>);

impl Blocks {
    fn new(nodes: u64) -> Blocks {
        let mut from = 0;
        let mut blocks = Vec::new();
        for (i, (kind, share)) in SHARES.iter().enumerate() {
            let to = if i + 1 == SHARES.len() {
                nodes
            } else {
                from + (nodes * share / 1000).max(1)
            };
            blocks.push((*kind, from, to));
            from = to;
        }
        Blocks(blocks)
    }

    fn kind_of(&self, n: u64) -> NodeKind {
        self.0
            .iter()
            .find(|(_, from, to)| (*from..*to).contains(&n))
            .map_or(NodeKind::Article, |(kind, _, _)| *kind)
    }

    fn range(&self, kind: NodeKind) -> (u64, u64) {
        self.0
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|(_, from, to)| (*from, *to))
            .unwrap()
    }

    /// A member of `kind`, skewed towards low numbers (u²) so that some nodes become hubs.
    fn pick(&self, rng: &mut Stream, kind: NodeKind) -> u64 {
        let (from, to) = self.range(kind);
        let u = rng.unit();
        from + ((to - from) as f64 * u * u) as u64 % (to - from)
    }

    /// One random relation from the mix (its ends may coincide; callers skip those).
    fn relation(&self, rng: &mut Stream) -> (u64, u64, EdgeKind, f64) {
        let total: u64 = MIX.iter().map(|m| m.3).sum();
        let mut roll = rng.below(total);
        let &(from, kind, to, _) = MIX
            .iter()
            .find(|m| {
                let hit = roll < m.3;
                roll = roll.saturating_sub(m.3);
                hit
            })
            .unwrap();
        let (a, b) = (self.pick(rng, from), self.pick(rng, to));
        (a, b, kind, 0.05 + rng.unit() * 10.0)
    }
}

fn id(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

pub fn run(table: &mut Table) {
    let nodes = env_or("BENCH_NODES", 100_000) as u64;
    let edges = env_or("BENCH_EDGES", nodes as usize * 10);
    let queries = env_or("BENCH_QUERIES", 200);
    let blocks = Blocks::new(nodes);
    let mut rng = Stream(2024);
    let mut seen = HashSet::new();
    let mut links = Vec::with_capacity(edges);
    while links.len() < edges {
        let (a, b, kind, weight) = blocks.relation(&mut rng);
        if a != b && seen.insert((a, b, kind)) {
            links.push((a, b, kind, weight));
        }
    }
    drop(seen);

    let rss = rss_mib();
    let started = Instant::now();
    let graph = KnowledgeGraph::from_rows(
        (0..nodes).map(|n| {
            let kind = blocks.kind_of(n);
            GraphNode {
                id: id(n),
                kind,
                label: format!("{kind} {n}"),
                props: serde_json::json!({ "n": n }),
            }
        }),
        links.iter().map(|&(a, b, kind, weight)| GraphEdge {
            from: id(a),
            to: id(b),
            kind,
            weight,
        }),
    )
    .unwrap();
    let ours_built = started.elapsed();
    let ours_mib = rss_mib().saturating_sub(rss);
    let started = Instant::now();
    let bare = Bare::build(|n| blocks.kind_of(n), nodes, &links);
    let bare_built = started.elapsed();
    eprintln!(
        "graph: {} nodes, {} edges built in {ours_built:.1?} (empire, RSS +{ours_mib} MiB) and {bare_built:.1?} (bare)",
        graph.len(),
        graph.edge_count()
    );

    let (niche_from, niche_to) = blocks.range(NodeKind::Niche);
    let niches: Vec<u64> = (0..queries)
        .map(|_| niche_from + rng.below(niche_to - niche_from))
        .collect();
    let pairs: Vec<(u64, u64)> = (0..queries)
        .map(|_| (rng.below(nodes), rng.below(nodes)))
        .collect();
    for &niche in &niches {
        let ours = graph.related_niches(&id(niche), RELATED_LIMIT).unwrap();
        let theirs = bare.related(niche, RELATED_LIMIT);
        assert_eq!(ours.len(), theirs.len(), "related niches of {niche}");
        if let (Some(a), Some(b)) = (ours.first(), theirs.first()) {
            assert!((a.1 - b.1).abs() < 1e-9, "best overlap of {niche}");
        }
    }
    for &(a, b) in pairs.iter().take(20) {
        let ours = graph.shortest_path(&id(a), &id(b)).unwrap().map(|p| p.cost);
        let theirs = bare.distance(a, b);
        match (ours, theirs) {
            (Some(x), Some(y)) => assert!((x - y).abs() < 1e-6 * y.max(1.0), "{a}→{b}: {x} {y}"),
            (x, y) => assert_eq!(x.is_some(), y.is_some(), "{a}→{b} connected"),
        }
    }

    let starts: Vec<u64> = (0..queries).map(|_| rng.below(nodes)).collect();
    // Per side: related niches, shortest paths, neighbours.
    let mut ours: [Samples; 3] = Default::default();
    let mut theirs: [Samples; 3] = Default::default();
    for round in 0..rounds() {
        let empire = |[related, paths, around]: &mut [Samples; 3]| {
            for &niche in &niches {
                related.time(|| {
                    graph
                        .related_niches(&id(niche), RELATED_LIMIT)
                        .unwrap()
                        .len()
                });
            }
            for &(a, b) in &pairs {
                paths.time(|| graph.shortest_path(&id(a), &id(b)).unwrap().is_some());
            }
            for &at in &starts {
                around.time(|| {
                    graph
                        .neighbours(&id(at), None, Direction::Both)
                        .unwrap()
                        .len()
                });
            }
        };
        let baseline = |[related, paths, around]: &mut [Samples; 3]| {
            for &niche in &niches {
                related.time(|| bare.related(niche, RELATED_LIMIT).len());
            }
            for &(a, b) in &pairs {
                paths.time(|| bare.distance(a, b).is_some());
            }
            for &at in &starts {
                around.time(|| bare.neighbours(at).len());
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
    let size = format!("{nodes} nodes / {edges} edges");
    let [ours_related, ours_paths, ours_around] = &mut ours;
    let [bare_related, bare_paths, bare_around] = &mut theirs;
    table.latency(
        &format!("related_niches (limit {RELATED_LIMIT}), {size}"),
        ours_related,
        bare_related,
        format!(
            "bare: two-hop walk, std HashMap, cached totals; {queries} niches × {} rounds; build {:.1} s vs {:.1} s",
            rounds(),
            ours_built.as_secs_f64(),
            bare_built.as_secs_f64()
        ),
    );
    table.latency(
        &format!("shortest_path, {size}"),
        ours_paths,
        bare_paths,
        format!(
            "bare: petgraph::algo::dijkstra to the goal; {queries} random pairs × {} rounds",
            rounds()
        ),
    );
    table.latency(
        &format!("neighbours (both ways), {size}"),
        ours_around,
        bare_around,
        format!(
            "bare: petgraph `edges`, collected; {queries} random nodes × {} rounds",
            rounds()
        ),
    );
    writes(table, graph, &blocks, &mut rng, queries);
}

/// What has no bare counterpart worth pairing: edge upserts and PageRank over the whole graph.
fn writes(
    table: &mut Table,
    mut graph: KnowledgeGraph,
    blocks: &Blocks,
    rng: &mut Stream,
    n: usize,
) {
    let mut upserts = Samples::default();
    let mut inserted = 0;
    for _ in 0..n {
        let (a, b, kind, weight) = blocks.relation(rng);
        if a == b {
            continue;
        }
        let edge = GraphEdge {
            from: id(a),
            to: id(b),
            kind,
            weight,
        };
        inserted +=
            usize::from(upserts.time(|| graph.upsert_edge(&edge).unwrap()) == Upserted::Inserted);
    }
    let started = Instant::now();
    let top = graph.top_by_centrality(NodeKind::Niche, 10);
    let pagerank = started.elapsed();
    assert_eq!(top.len(), 10);
    table.push(Row {
        case: "upsert_edge; top_by_centrality (PageRank)".into(),
        ours: format!(
            "upsert p50 {} / p99 {}; PageRank {:.0} ms",
            us(upserts.quantile_us(0.5)),
            us(upserts.quantile_us(0.99)),
            pagerank.as_secs_f64() * 1e3
        ),
        bare: "—".into(),
        ratio: "—".into(),
        note: format!("{inserted} of the upserts were new edges; PageRank timed once"),
    });
}
