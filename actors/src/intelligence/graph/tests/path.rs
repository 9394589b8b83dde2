//! Shortest paths: strong edges are short, directions are ignored, disconnected is `None`.

use petgraph::algo::dijkstra;
use petgraph::visit::UndirectedAdaptor;

use super::*;
use EdgeKind::*;
use NodeKind::*;

#[test]
fn two_strong_steps_beat_one_weak_step_in_either_direction() {
    // 1 -(1.0)- 3 costs 1; 1 -(10)- 2 -(10)- 3 costs 0.2. Edges point every which way.
    let g = graph(
        &[(1, Niche), (2, Keyword), (3, Website), (4, Article)],
        &[
            (1, 3, Targets, 1.0),
            (2, 1, RanksFor, 10.0),
            (3, 2, RanksFor, 10.0),
        ],
    );
    let path = g.shortest_path(&id(1), &id(3)).unwrap().unwrap();
    assert_eq!(path.nodes, vec![id(1), id(2), id(3)]);
    assert!((path.cost - 0.2).abs() < 1e-12, "{}", path.cost);
    let back = g.shortest_path(&id(3), &id(1)).unwrap().unwrap();
    assert_eq!(back.nodes, vec![id(3), id(2), id(1)]);

    let mut weaker = g.clone();
    weaker.upsert_edge(&edge(2, 1, RanksFor, 1.0)).unwrap();
    let path = weaker.shortest_path(&id(1), &id(3)).unwrap().unwrap();
    assert_eq!(path.nodes, vec![id(1), id(3)]);
    assert!((path.cost - 1.0).abs() < 1e-12);
}

#[test]
fn disconnected_nodes_have_no_path_and_a_node_reaches_itself_for_free() {
    let g = graph(
        &[(1, Niche), (2, Keyword), (3, Website), (4, Article)],
        &[(1, 2, Targets, 1.0), (3, 4, RanksFor, 1.0)],
    );
    assert_eq!(g.shortest_path(&id(1), &id(4)).unwrap(), None);
    assert_eq!(g.shortest_path(&id(4), &id(2)).unwrap(), None);
    let itself = g.shortest_path(&id(2), &id(2)).unwrap().unwrap();
    assert_eq!(
        itself,
        Path {
            nodes: vec![id(2)],
            cost: 0.0
        }
    );
}

/// A random graph of `count` nodes and about `edges` edges, weights spread over four orders of
/// magnitude; `skew` squares the draw so that low-numbered nodes become hubs.
fn random_graph(rng: &mut Stream, count: u64, edges: usize, skew: bool) -> KnowledgeGraph {
    let nodes: Vec<GraphNode> = (0..count)
        .map(|n| node(n, NodeKind::ALL[n as usize % 6]))
        .collect();
    let mut g = KnowledgeGraph::from_rows(nodes, []).unwrap();
    let draw = |rng: &mut Stream| {
        let u = rng.unit();
        ((if skew { u * u } else { u }) * count as f64) as u64 % count
    };
    for _ in 0..edges {
        let (a, b) = (draw(rng), draw(rng));
        if a != b {
            let kind = EdgeKind::ALL[rng.below(4) as usize];
            let weight = 10f64.powf(rng.unit() * 4.0 - 2.0);
            g.upsert_edge(&edge(a, b, kind, weight)).unwrap();
        }
    }
    g
}

#[test]
fn bidirectional_search_agrees_with_petgraph_dijkstra() {
    let mut rng = Stream(7);
    let shapes = [
        (300, 400, false),
        (300, 1_500, false),
        (300, 1_500, true),
        (80, 2_000, true),
    ];
    for (count, edges, skew) in shapes {
        let g = random_graph(&mut rng, count, edges, skew);
        let compared = compare_with_petgraph(&g, &mut rng, count);
        assert!(
            compared > 60,
            "only {compared} connected pairs in {count}/{edges}"
        );
    }
}

/// Checks 150 random pairs against petgraph's Dijkstra; returns how many were connected.
fn compare_with_petgraph(g: &KnowledgeGraph, rng: &mut Stream, count: u64) -> usize {
    let mut compared = 0;
    for _ in 0..150 {
        let (a, b) = (rng.below(count), rng.below(count));
        let (start, goal) = (g.index[&id(a)], g.index[&id(b)]);
        let reference = dijkstra(UndirectedAdaptor(&g.graph), start, Some(goal), |e| {
            1.0 / e.weight().weight
        });
        let found = g.shortest_path(&id(a), &id(b)).unwrap();
        match (reference.get(&goal), found) {
            (None, None) => {}
            (Some(&cost), Some(path)) => {
                assert!(
                    (cost - path.cost).abs() < 1e-9,
                    "{a}->{b}: {cost} vs {}",
                    path.cost
                );
                assert_eq!(path.nodes.first(), Some(&id(a)));
                assert_eq!(path.nodes.last(), Some(&id(b)));
                // The path's own steps add up to its cost, taking the strongest edge of each step.
                let walked: f64 = path
                    .nodes
                    .windows(2)
                    .map(|step| {
                        let strongest = EdgeKind::ALL
                            .iter()
                            .flat_map(|&k| {
                                [g.edge(&step[0], &step[1], k), g.edge(&step[1], &step[0], k)]
                            })
                            .flatten()
                            .fold(0.0, f64::max);
                        1.0 / strongest
                    })
                    .sum();
                assert!((walked - path.cost).abs() < 1e-9);
                compared += 1;
            }
            (reference, found) => panic!("{a}->{b}: petgraph {reference:?}, ours {found:?}"),
        }
    }
    compared
}
