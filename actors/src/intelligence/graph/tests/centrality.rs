//! PageRank: sums to 1, follows weights, ranks hubs first, survives dangling nodes.

use super::*;
use EdgeKind::*;
use NodeKind::*;

#[test]
fn the_hub_ranks_first_and_ranks_sum_to_one() {
    // Six websites and a product point at niche 1, which points at keyword 20 only.
    let mut edges: Vec<(u64, u64, EdgeKind, f64)> =
        (10..16).map(|w| (w, 1, Targets, 1.0)).collect();
    edges.push((30, 1, Monetises, 2.0));
    edges.push((1, 20, Targets, 1.0));
    let mut nodes: Vec<(u64, NodeKind)> = (10..16).map(|w| (w, Website)).collect();
    nodes.extend([(1, Niche), (2, Niche), (20, Keyword), (30, Product)]);
    let g = graph(&nodes, &edges);

    let ranks = g.centrality();
    assert_eq!(ranks.len(), g.len());
    let total: f64 = ranks.values().sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    let hub = ranks[&id(1)];
    assert!(
        ranks.iter().all(|(n, r)| *n == id(1) || *r < hub),
        "{ranks:?}"
    );
    // The keyword the hub points at outranks the websites that nothing points at.
    assert!(ranks[&id(20)] > ranks[&id(10)]);

    let top: Vec<(String, f64)> = g
        .top_by_centrality(Niche, 5)
        .into_iter()
        .map(|(n, r)| (n.id.clone(), r))
        .collect();
    assert_eq!(
        top.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
        vec![id(1), id(2)]
    );
    assert_eq!(top[0].1, hub);
    let websites = g.top_by_centrality(Website, 2);
    // All websites tie; the tie goes by id.
    assert_eq!(
        websites
            .iter()
            .map(|(n, _)| n.id.clone())
            .collect::<Vec<_>>(),
        vec![id(10), id(11)]
    );
    assert!(g.top_by_centrality(Article, 3).is_empty());
    assert!(g.top_by_centrality(Website, 0).is_empty());
}

#[test]
fn weights_split_the_rank_and_dangling_nodes_spread_theirs() {
    // X -> A (9), X -> B (1); A and B are dangling. With d = 0.85 and n = 3 the fixed point is
    // r_X = 1 / 3.85, r_A = (1 + 0.85 * 0.9) / 3.85, r_B = (1 + 0.85 * 0.1) / 3.85.
    let g = graph(
        &[(1, Niche), (2, Keyword), (3, Keyword)],
        &[(1, 2, Targets, 9.0), (1, 3, Targets, 1.0)],
    );
    let ranks = g.centrality();
    for (n, want) in [(1, 1.0 / 3.85), (2, 1.765 / 3.85), (3, 1.085 / 3.85)] {
        let got = ranks[&id(n)];
        assert!((got - want).abs() < 1e-8, "node {n}: {got} != {want}");
    }
}

#[test]
fn an_empty_graph_has_no_ranks() {
    assert!(KnowledgeGraph::new().centrality().is_empty());
    let mut g = graph(&[(1, Niche)], &[]);
    assert_eq!(g.centrality()[&id(1)], 1.0);
    g.remove_node(&id(1));
    assert!(g.centrality().is_empty());
}
