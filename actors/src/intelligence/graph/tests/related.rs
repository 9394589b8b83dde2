//! Related niches by weighted Jaccard overlap, checked against numbers worked out by hand.

use super::*;
use EdgeKind::*;
use NodeKind::*;

/// Niches 1..=5; keywords 11, 12, 13; product 21; programme 31; website 41.
///
/// Profiles (describer: summed weight of all edges between niche and describer):
/// - niche 1: k11 1, k12 2, p21 3                 total 6
/// - niche 2: k11 0.5, k12 2, k13 4               total 6.5
/// - niche 3: p21 1, k11 1 + 0.5 (two edges)      total 2.5
/// - niche 4: k13 1                               total 1
/// - niche 5: k13 1                               total 1
///
/// The website and the niche-to-niche edge are not describers and count for nothing.
fn fixture() -> KnowledgeGraph {
    graph(
        &[
            (1, Niche),
            (2, Niche),
            (3, Niche),
            (4, Niche),
            (5, Niche),
            (11, Keyword),
            (12, Keyword),
            (13, Keyword),
            (21, Product),
            (31, Programme),
            (41, Website),
        ],
        &[
            (1, 11, Targets, 1.0),
            (1, 12, Targets, 2.0),
            (21, 1, Monetises, 3.0),
            (2, 11, Targets, 0.5),
            (2, 12, Targets, 2.0),
            (2, 13, Targets, 4.0),
            (21, 3, Monetises, 1.0),
            (3, 11, Targets, 1.0),
            (11, 3, RanksFor, 0.5),
            (4, 13, Targets, 1.0),
            (5, 13, Targets, 1.0),
            (41, 1, Targets, 5.0),
            (41, 2, Targets, 5.0),
            (1, 2, CompetesWith, 1.0),
        ],
    )
}

fn scores(g: &KnowledgeGraph, niche: u64, limit: usize) -> Vec<(String, f64)> {
    g.related_niches(&id(niche), limit)
        .unwrap()
        .into_iter()
        .map(|(node, score)| (node.id.clone(), score))
        .collect()
}

fn assert_scores(found: Vec<(String, f64)>, expected: &[(u64, f64)]) {
    let found_ids: Vec<&String> = found.iter().map(|(id, _)| id).collect();
    let expected_ids: Vec<String> = expected.iter().map(|(n, _)| id(*n)).collect();
    assert_eq!(found_ids, expected_ids.iter().collect::<Vec<_>>());
    for ((_, got), (n, want)) in found.iter().zip(expected) {
        assert!((got - want).abs() < 1e-12, "niche {n}: {got} != {want}");
    }
}

#[test]
fn scores_are_weighted_jaccard_of_the_profiles() {
    let g = fixture();
    // 1 vs 3: min k11 1 + p21 1 = 2; max k11 1.5 + k12 2 + p21 3 = 6.5.
    // 1 vs 2: min k11 0.5 + k12 2 = 2.5; max k11 1 + k12 2 + k13 4 + p21 3 = 10.
    // 1 vs 4 and 5 share nothing and are left out.
    assert_scores(scores(&g, 1, 10), &[(3, 2.0 / 6.5), (2, 0.25)]);
    // 2 vs 1: 0.25. 2 vs 4 and 2 vs 5: min k13 1; max 0.5 + 2 + 4 = 6.5, a tie broken by id.
    // 2 vs 3: min k11 0.5; max k11 1.5 + k12 2 + k13 4 + p21 1 = 8.5.
    assert_scores(
        scores(&g, 2, 10),
        &[(1, 0.25), (4, 1.0 / 6.5), (5, 1.0 / 6.5), (3, 0.5 / 8.5)],
    );
    // 4 and 5 have the same profile.
    assert_scores(scores(&g, 4, 10), &[(5, 1.0), (2, 1.0 / 6.5)]);
}

#[test]
fn the_limit_keeps_the_best() {
    let g = fixture();
    assert_scores(scores(&g, 2, 2), &[(1, 0.25), (4, 1.0 / 6.5)]);
    assert_scores(
        scores(&g, 2, 3),
        &[(1, 0.25), (4, 1.0 / 6.5), (5, 1.0 / 6.5)],
    );
    assert!(scores(&g, 2, 0).is_empty());
}

#[test]
fn scores_follow_changes_to_weights_nodes_and_kinds() {
    let mut g = fixture();
    // p21 -> 1 weighs 1 now: niche 1 totals 4; vs 3: min 2, max 4 + 2.5 - 2 = 4.5;
    // vs 2: min 2.5, max 4 + 6.5 - 2.5 = 8.
    g.upsert_edge(&edge(21, 1, Monetises, 1.0)).unwrap();
    assert_scores(scores(&g, 1, 10), &[(3, 2.0 / 4.5), (2, 2.5 / 8.0)]);
    // Without keyword 13, niche 2 is k11 0.5 + k12 2 and 4, 5 relate to nothing.
    g.remove_node(&id(13));
    assert_scores(scores(&g, 2, 10), &[(1, 2.5 / 4.0), (3, 0.5 / 4.5)]);
    assert!(scores(&g, 4, 10).is_empty());
    // Product 21 becomes a website: it no longer describes niches 1 and 3.
    let mut website = node(21, Website);
    website.label = "was a product".into();
    g.upsert_node(website).unwrap();
    // 3 is k11 1.5. vs 1 (k11 1, k12 2): min 1, max 1.5 + 2 = 3.5;
    // vs 2 (k11 0.5, k12 2): min 0.5, max 1.5 + 2 = 3.5.
    assert_scores(scores(&g, 3, 10), &[(1, 1.0 / 3.5), (2, 0.5 / 3.5)]);
    // Dropping an edge of a repeated pair leaves the other: niche 3 is k11 1.
    // vs 1: min 1, max 1 + 2 = 3; vs 2: min 0.5, max 1 + 2 = 3.
    g.remove_edge(&id(11), &id(3), RanksFor).unwrap();
    assert_scores(scores(&g, 3, 10), &[(1, 1.0 / 3.0), (2, 0.5 / 3.0)]);
}

#[test]
fn kept_totals_match_a_fresh_load_after_many_changes() {
    let mut rng = Stream(11);
    let kinds = [Niche, Keyword, Product, Programme, Website];
    let nodes: Vec<GraphNode> = (0..120).map(|n| node(n, kinds[n as usize % 5])).collect();
    let mut g = KnowledgeGraph::from_rows(nodes, []).unwrap();
    for round in 0..2000 {
        let (a, b) = (rng.below(120), rng.below(120));
        let kind = EdgeKind::ALL[rng.below(4) as usize];
        match rng.below(10) {
            0 => {
                g.remove_edge(&id(a), &id(b), kind);
            }
            1 if round % 50 == 0 => {
                g.remove_node(&id(a));
                g.upsert_node(node(a, kinds[rng.below(5) as usize]))
                    .unwrap();
            }
            _ if a != b => {
                g.upsert_edge(&edge(a, b, kind, rng.unit() * 5.0)).unwrap();
            }
            _ => {}
        }
    }
    let (nodes, edges) = sorted_rows(&g);
    let fresh = KnowledgeGraph::from_rows(nodes, edges).unwrap();
    let mut checked = 0;
    for niche in g.nodes().filter(|n| n.kind == Niche) {
        let kept = g.related_niches(&niche.id, 100).unwrap();
        let loaded = fresh.related_niches(&niche.id, 100).unwrap();
        assert_eq!(kept.len(), loaded.len());
        for ((a, x), (b, y)) in kept.iter().zip(&loaded) {
            assert_eq!(a.id, b.id);
            assert!((x - y).abs() < 1e-9);
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} scores compared");
}
