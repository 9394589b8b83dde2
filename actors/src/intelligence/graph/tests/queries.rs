//! The neighbour query: filters, directions, order, and unknown nodes.

use super::*;
use EdgeKind::*;
use NodeKind::*;

fn star() -> KnowledgeGraph {
    // Niche 1 targets keywords 2 and 3; website 4 targets it; product 5 monetises it; niche 6
    // and niche 1 compete both ways.
    graph(
        &[
            (1, Niche),
            (2, Keyword),
            (3, Keyword),
            (4, Website),
            (5, Product),
            (6, Niche),
        ],
        &[
            (1, 2, Targets, 2.0),
            (1, 3, Targets, 5.0),
            (4, 1, Targets, 2.0),
            (5, 1, Monetises, 0.25),
            (1, 6, CompetesWith, 1.0),
            (6, 1, CompetesWith, 3.0),
        ],
    )
}

fn ids(found: &[(&GraphNode, EdgeKind, f64)]) -> Vec<(String, EdgeKind, f64)> {
    found
        .iter()
        .map(|(n, kind, w)| (n.id.clone(), *kind, *w))
        .collect()
}

#[test]
fn outgoing_neighbours_strongest_first() {
    let g = star();
    let found = g.neighbours(&id(1), None, Direction::Out).unwrap();
    assert_eq!(
        ids(&found),
        vec![
            (id(3), Targets, 5.0),
            (id(2), Targets, 2.0),
            (id(6), CompetesWith, 1.0)
        ]
    );
    assert_eq!(found[0].0, &node(3, Keyword));
}

#[test]
fn incoming_neighbours_with_equal_weights_in_id_order() {
    let mut g = star();
    g.upsert_edge(&edge(6, 1, CompetesWith, 2.0)).unwrap();
    let found = g.neighbours(&id(1), None, Direction::In).unwrap();
    assert_eq!(
        ids(&found),
        vec![
            (id(4), Targets, 2.0),
            (id(6), CompetesWith, 2.0),
            (id(5), Monetises, 0.25)
        ]
    );
}

#[test]
fn both_directions_list_each_edge_and_the_kind_filter_applies() {
    let g = star();
    let both = g.neighbours(&id(1), None, Direction::Both).unwrap();
    assert_eq!(both.len(), 6);
    let competing = g
        .neighbours(&id(1), Some(CompetesWith), Direction::Both)
        .unwrap();
    assert_eq!(
        ids(&competing),
        vec![(id(6), CompetesWith, 3.0), (id(6), CompetesWith, 1.0)]
    );
    let targets_in = g.neighbours(&id(1), Some(Targets), Direction::In).unwrap();
    assert_eq!(ids(&targets_in), vec![(id(4), Targets, 2.0)]);
    assert!(
        g.neighbours(&id(1), Some(RanksFor), Direction::Both)
            .unwrap()
            .is_empty()
    );
    assert!(
        g.neighbours(&id(2), None, Direction::Out)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn queries_on_unknown_nodes_name_them() {
    let g = star();
    let unknown = GraphError::UnknownNode(id(99));
    assert_eq!(
        g.neighbours(&id(99), None, Direction::Both).unwrap_err(),
        unknown
    );
    assert_eq!(g.shortest_path(&id(1), &id(99)).unwrap_err(), unknown);
    assert_eq!(g.shortest_path(&id(99), &id(1)).unwrap_err(), unknown);
    assert_eq!(g.related_niches(&id(99), 5).unwrap_err(), unknown);
    assert_eq!(
        g.related_niches(&id(2), 5).unwrap_err(),
        GraphError::NotANiche {
            id: id(2),
            kind: Keyword
        }
    );
    assert_eq!(g.edge(&id(99), &id(1), Targets), None);
    assert!(g.node(&id(99)).is_none());
}
