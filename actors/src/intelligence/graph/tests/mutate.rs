//! Rows in and out, upserts and removals, and the errors they give.

use super::*;
use EdgeKind::*;
use NodeKind::*;

fn sample() -> KnowledgeGraph {
    graph(
        &[(1, Niche), (2, Keyword), (3, Product), (4, Website)],
        &[
            (1, 2, Targets, 2.0),
            (3, 1, Monetises, 0.5),
            (4, 1, Targets, 1.0),
            (4, 2, RanksFor, 3.0),
            (2, 1, RanksFor, 1.5),
        ],
    )
}

#[test]
fn rows_round_trip_through_the_graph() {
    let g = sample();
    assert_eq!((g.len(), g.edge_count()), (4, 5));
    let (nodes, edges) = sorted_rows(&g);
    let again = KnowledgeGraph::from_rows(nodes.clone(), edges.clone()).unwrap();
    assert_eq!(sorted_rows(&again), (nodes.clone(), edges.clone()));
    assert_eq!(nodes[0], node(1, Niche));
    assert_eq!(edges[0], edge(1, 2, Targets, 2.0));
    let json = serde_json::to_value(&edges[0]).unwrap();
    assert_eq!(json["kind"], "targets");
    assert_eq!(serde_json::from_value::<GraphEdge>(json).unwrap(), edges[0]);
}

#[test]
fn an_edge_to_an_unknown_node_names_it() {
    let err = KnowledgeGraph::from_rows([node(1, Niche)], [edge(1, 9, Targets, 1.0)]).unwrap_err();
    assert_eq!(err, GraphError::UnknownNode(id(9)));
    assert_eq!(err.to_string(), format!("unknown node `{}`", id(9)));
    let err = KnowledgeGraph::from_rows([node(1, Niche)], [edge(8, 1, Targets, 1.0)]).unwrap_err();
    assert_eq!(err, GraphError::UnknownNode(id(8)));
}

#[test]
fn duplicate_rows_and_bad_rows_are_refused() {
    let err = KnowledgeGraph::from_rows([node(1, Niche), node(1, Keyword)], []).unwrap_err();
    assert_eq!(err, GraphError::DuplicateNode(id(1)));
    let twice = [edge(1, 2, Targets, 1.0), edge(1, 2, Targets, 2.0)];
    let err = KnowledgeGraph::from_rows([node(1, Niche), node(2, Keyword)], twice).unwrap_err();
    assert!(matches!(
        err,
        GraphError::DuplicateEdge { kind: Targets, .. }
    ));
    let mut bad = node(3, Niche);
    bad.id = "3".into();
    assert_eq!(
        KnowledgeGraph::from_rows([bad], []).unwrap_err(),
        GraphError::InvalidId("3".into())
    );
    let mut g = sample();
    let err = g.upsert_edge(&edge(1, 2, RanksFor, 0.0)).unwrap_err();
    assert!(matches!(err, GraphError::InvalidWeight { weight, .. } if weight == 0.0));
    assert_eq!(
        g.upsert_edge(&edge(1, 1, CompetesWith, 1.0)),
        Err(GraphError::SelfLoop(id(1)))
    );
    assert_eq!(g.edge_count(), 5);
}

#[test]
fn one_edge_per_pair_and_kind_and_upserts_change_weights() {
    let mut g = sample();
    assert_eq!(
        g.upsert_edge(&edge(1, 2, Targets, 7.0)),
        Ok(Upserted::Updated)
    );
    assert_eq!(g.edge(&id(1), &id(2), Targets), Some(7.0));
    assert_eq!(g.edge_count(), 5);
    // Same pair, other kind, and the reverse direction are distinct edges.
    assert_eq!(
        g.upsert_edge(&edge(1, 2, RanksFor, 1.0)),
        Ok(Upserted::Inserted)
    );
    assert_eq!(g.edge(&id(2), &id(1), RanksFor), Some(1.5));
    assert_eq!(g.edge(&id(1), &id(2), RanksFor), Some(1.0));
    assert_eq!(g.edge_count(), 6);

    let mut renamed = node(2, Keyword);
    renamed.label = "running shoes".into();
    assert_eq!(g.upsert_node(renamed.clone()), Ok(Upserted::Updated));
    assert_eq!(g.node(&id(2)), Some(&renamed));
    assert_eq!(g.len(), 4);
}

#[test]
fn removing_a_node_drops_its_edges_and_keeps_other_ids_resolvable() {
    let mut g = sample();
    assert_eq!(g.remove_node(&id(2)), Some(node(2, Keyword)));
    assert_eq!(g.remove_node(&id(2)), None);
    assert_eq!((g.len(), g.edge_count()), (3, 2));
    assert!(g.node(&id(2)).is_none());
    for n in [1, 3, 4] {
        assert_eq!(
            g.node(&id(n)),
            Some(&node(n, [Niche, Keyword, Product, Website][n as usize - 1]))
        );
    }
    assert_eq!(g.edge(&id(3), &id(1), Monetises), Some(0.5));
    assert_eq!(g.edge(&id(4), &id(1), Targets), Some(1.0));
    // A node added afterwards may reuse the freed slot; both old and new ids still resolve.
    g.upsert_node(node(5, Keyword)).unwrap();
    g.upsert_edge(&edge(1, 5, Targets, 1.0)).unwrap();
    assert_eq!(g.node(&id(5)).map(|n| n.kind), Some(Keyword));
    assert_eq!(g.edge(&id(1), &id(5), Targets), Some(1.0));
    assert_eq!(g.node(&id(4)).map(|n| n.kind), Some(Website));
}

#[test]
fn removing_an_edge_returns_it_once() {
    let mut g = sample();
    assert_eq!(
        g.remove_edge(&id(4), &id(2), RanksFor),
        Some(edge(4, 2, RanksFor, 3.0))
    );
    assert_eq!(g.remove_edge(&id(4), &id(2), RanksFor), None);
    assert_eq!(g.remove_edge(&id(2), &id(4), RanksFor), None);
    assert_eq!(g.remove_edge(&id(9), &id(4), RanksFor), None);
    assert_eq!(g.edge_count(), 4);
    assert_eq!(g.edge(&id(2), &id(1), RanksFor), Some(1.5));
}
