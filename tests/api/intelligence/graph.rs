//! The knowledge graph on each backend: written through to its rows, reloaded identical,
//! refused whole when an edge names a missing node, and followed by the other nodes' copies.

use empire_actors::intelligence::data::GraphService;
use empire_actors::intelligence::graph::{EdgeKind, GraphEdge, GraphNode, NodeKind};
use empire_schema::models::KgNode;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::auth::problem;
use crate::helpers::{backends, spawn_app};

fn node(id: &str, kind: NodeKind, label: &str) -> GraphNode {
    GraphNode {
        id: id.into(),
        kind,
        label: label.into(),
        props: json!({ "label": label }),
    }
}

fn edge(from: &str, to: &str, kind: EdgeKind, weight: f64) -> GraphEdge {
    GraphEdge {
        from: from.into(),
        to: to.into(),
        kind,
        weight,
    }
}

const NICHE_A: &str = "0190a000-0000-7000-8000-00000000000a";
const NICHE_B: &str = "0190a000-0000-7000-8000-00000000000b";
const KEYWORD: &str = "0190a000-0000-7000-8000-0000000000c1";
const PRODUCT: &str = "0190a000-0000-7000-8000-0000000000d1";

/// Waits up to 20 s for `check` to hold on `graph`.
async fn until(graph: &GraphService, what: &str, check: impl Fn(&GraphService) -> bool) {
    let started = std::time::Instant::now();
    while !check(graph) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{what} did not happen within 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_nodes_writes_reach_this_nodes_graph() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let here = &app.runtime.services().graph;
        // Another node's copy over the same store.
        let there = GraphService::load(app.db.clone()).await.unwrap();
        there
            .save(
                vec![
                    node(NICHE_A, NodeKind::Niche, "running"),
                    node(KEYWORD, NodeKind::Keyword, "running shoes"),
                ],
                vec![edge(NICHE_A, KEYWORD, EdgeKind::Targets, 40.0)],
            )
            .await
            .unwrap();
        until(here, "the other node's nodes and edge arriving", |g| {
            g.read(|g| g.edge(NICHE_A, KEYWORD, EdgeKind::Targets)) == Some(40.0)
        })
        .await;
        // A changed weight and label arrive too; nothing is doubled.
        there
            .save(
                vec![node(KEYWORD, NodeKind::Keyword, "running shoes men")],
                vec![edge(NICHE_A, KEYWORD, EdgeKind::Targets, 25.0)],
            )
            .await
            .unwrap();
        until(here, "the changed weight arriving", |g| {
            g.read(|g| g.edge(NICHE_A, KEYWORD, EdgeKind::Targets)) == Some(25.0)
        })
        .await;
        assert_eq!(
            here.read(|g| (
                g.len(),
                g.edge_count(),
                g.node(KEYWORD).map(|n| n.label.clone())
            )),
            (2, 1, Some("running shoes men".to_owned())),
            "{backend:?}"
        );

        // And the other way, by one explicit look.
        here.save(
            vec![node(PRODUCT, NodeKind::Product, "Pegasus")],
            vec![edge(PRODUCT, NICHE_A, EdgeKind::Monetises, 1.0)],
        )
        .await
        .unwrap();
        assert!(there.follow().await.unwrap() >= 2, "{backend:?}");
        assert_eq!(
            there.read(|g| g.edge(PRODUCT, NICHE_A, EdgeKind::Monetises)),
            Some(1.0),
            "{backend:?}"
        );
        there.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graph_is_persisted_and_reloaded() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let graph = &app.runtime.services().graph;
        graph
            .save(
                vec![
                    node(NICHE_A, NodeKind::Niche, "running"),
                    node(NICHE_B, NodeKind::Niche, "trail running"),
                    node(KEYWORD, NodeKind::Keyword, "running shoes"),
                    node(PRODUCT, NodeKind::Product, "Pegasus"),
                ],
                vec![
                    edge(NICHE_A, KEYWORD, EdgeKind::Targets, 40.0),
                    edge(NICHE_B, KEYWORD, EdgeKind::Targets, 10.0),
                    edge(PRODUCT, NICHE_A, EdgeKind::Monetises, 1.0),
                ],
            )
            .await
            .unwrap();
        // Changing a weight is an upsert, not a second edge.
        graph
            .save(
                vec![],
                vec![edge(NICHE_B, KEYWORD, EdgeKind::Targets, 20.0)],
            )
            .await
            .unwrap();

        let reloaded = GraphService::load(app.db.clone()).await.unwrap();
        let (nodes, edges) = reloaded.read(|g| (g.len(), g.edge_count()));
        assert_eq!((nodes, edges), (4, 3), "{backend:?}");
        assert_eq!(
            reloaded.read(|g| g.edge(NICHE_B, KEYWORD, EdgeKind::Targets)),
            Some(20.0)
        );
        assert_eq!(
            reloaded.read(|g| g.node(PRODUCT).cloned()),
            graph.read(|g| g.node(PRODUCT).cloned())
        );

        // An edge to a node that exists nowhere: refused, nothing stored.
        let missing = "0190a000-0000-7000-8000-0000000000ff";
        let refused = graph
            .save(
                vec![node(
                    "0190a000-0000-7000-8000-0000000000e1",
                    NodeKind::Article,
                    "a",
                )],
                vec![edge(NICHE_A, missing, EdgeKind::Targets, 1.0)],
            )
            .await;
        assert!(refused.is_err());
        assert_eq!(KgNode::load_all(&app.db).await.unwrap().0.len(), 4);

        let token = app.admin_token().await;
        let response = app
            .with(
                Method::GET,
                &format!("/api/v1/intelligence/graph/nodes/{KEYWORD}"),
                &token,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["node"]["label"], "running shoes");
        let neighbours: Vec<&str> = body["neighbours"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["node"]["label"].as_str().unwrap())
            .collect();
        assert_eq!(neighbours, ["running", "trail running"], "strongest first");

        let related: Value = app
            .with(
                Method::GET,
                "/api/v1/intelligence/graph/related?niche=Running",
                &token,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(related["niche"]["id"], NICHE_A);
        assert_eq!(related["related"][0]["node"]["label"], "trail running");

        let unknown = app
            .with(
                Method::GET,
                &format!("/api/v1/intelligence/graph/nodes/{missing}"),
                &token,
            )
            .send()
            .await
            .unwrap();
        problem(unknown, 404).await;
    }
}
