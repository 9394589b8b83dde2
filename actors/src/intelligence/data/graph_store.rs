//! `GraphService`: the node's knowledge graph in memory, loaded from `kg_nodes`/`kg_edges` at
//! start; writes are checked, stored, then applied in memory, so the rows are the truth.
//!
//! Each node keeps its own copy and follows the others' writes: [`GraphService::follow`] reads
//! the rows dated since its previous look (less [`FOLLOW_OVERLAP`]) and applies them. Graph
//! rows are only ever upserted, so applying a row twice changes nothing.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use chrono::NaiveDateTime;
use empire_schema::Db;
use empire_schema::clock::now;
use empire_schema::models::{KgEdge, KgNode};
use tokio::task::JoinHandle;

use super::error::DataError;
use crate::intelligence::graph::rows::check_id;
use crate::intelligence::graph::{GraphEdge, GraphError, GraphNode, KnowledgeGraph};

/// How far before its previous look each look reaches back: rows are dated by their writer's
/// clock when written, and may commit later, so this covers clock skew between nodes and long
/// transactions.
pub const FOLLOW_OVERLAP: chrono::Duration = chrono::Duration::seconds(60);

/// A handle on the node's graph; cheap to clone.
#[derive(Clone)]
pub struct GraphService {
    db: Db,
    graph: Arc<RwLock<KnowledgeGraph>>,
    /// When the previous look at the store began.
    looked_at: Arc<Mutex<NaiveDateTime>>,
    stopped: Arc<AtomicBool>,
}

impl GraphService {
    /// Loads every stored node and edge.
    pub async fn load(db: Db) -> Result<GraphService, DataError> {
        let looked_at = now();
        let graph = read_store(&db).await?;
        Ok(GraphService {
            db,
            graph: Arc::new(RwLock::new(graph)),
            looked_at: Arc::new(Mutex::new(looked_at)),
            stopped: Arc::default(),
        })
    }

    /// Replaces the in-memory graph with the stored one.
    pub async fn reload(&self) -> Result<(), DataError> {
        let looked_at = now();
        let graph = read_store(&self.db).await?;
        *self.graph.write().unwrap_or_else(PoisonError::into_inner) = graph;
        *self
            .looked_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = looked_at;
        Ok(())
    }

    /// Applies the rows written since the previous look (other nodes' writes, and this node's
    /// own again); returns how many rows were read. Reloads everything if a changed edge names
    /// a node this copy does not have (written before the overlap, by a very slow transaction).
    pub async fn follow(&self) -> Result<usize, DataError> {
        let looked_at = now();
        let since = *self
            .looked_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            - FOLLOW_OVERLAP;
        let (nodes, edges) = KgNode::changed_since(&self.db, since).await?;
        let read = nodes.len() + edges.len();
        let applied = {
            let mut graph = self.graph.write().unwrap_or_else(PoisonError::into_inner);
            apply(&mut graph, nodes, edges)
        };
        match applied {
            Ok(()) => {
                *self
                    .looked_at
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = looked_at;
                Ok(read)
            }
            Err(error) => {
                tracing::warn!(error = %error, "a changed graph row does not fit this node's copy; reloading the graph");
                self.reload().await?;
                Ok(read)
            }
        }
    }

    /// Follows the store every `poll` until [`GraphService::stop`].
    pub fn spawn_follower(&self, poll: Duration) -> JoinHandle<()> {
        let service = self.clone();
        tokio::spawn(async move {
            while !service.stopped.load(Ordering::Acquire) {
                tokio::time::sleep(poll).await;
                if let Err(error) = service.follow().await {
                    tracing::warn!(error = %error, "following the graph's store failed; retrying");
                }
            }
        })
    }

    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
    }

    /// Runs a query against the graph. Keep `query` short: writers wait for it.
    pub fn read<T>(&self, query: impl FnOnce(&KnowledgeGraph) -> T) -> T {
        query(&self.graph.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Upserts `nodes` (by id) and then `edges` (by from, to, kind), in the store and in memory.
    /// Nothing is written when a node id is not a UUID, an edge's weight is out of range, or an
    /// edge names a node that is neither in the graph nor among `nodes`.
    pub async fn save(
        &self,
        nodes: Vec<GraphNode>,
        edges: Vec<GraphEdge>,
    ) -> Result<(), DataError> {
        self.check(&nodes, &edges)?;
        let node_rows: Vec<KgNode> = nodes
            .iter()
            .map(|node| {
                KgNode::new(
                    node.id.clone(),
                    node.kind,
                    node.label.clone(),
                    node.props.clone(),
                )
            })
            .collect();
        let edge_rows: Vec<KgEdge> = edges
            .iter()
            .map(|edge| KgEdge::new(edge.from.clone(), edge.to.clone(), edge.kind, edge.weight))
            .collect();
        KgNode::save(&self.db, &node_rows, &edge_rows).await?;
        let mut graph = self.graph.write().unwrap_or_else(PoisonError::into_inner);
        for node in nodes {
            graph.upsert_node(node)?;
        }
        for edge in &edges {
            graph.upsert_edge(edge)?;
        }
        Ok(())
    }

    fn check(&self, nodes: &[GraphNode], edges: &[GraphEdge]) -> Result<(), GraphError> {
        let mut new_ids = HashSet::with_capacity(nodes.len());
        for node in nodes {
            check_id(&node.id)?;
            new_ids.insert(node.id.as_str());
        }
        self.read(|graph| {
            for edge in edges {
                edge.check()?;
                for end in [&edge.from, &edge.to] {
                    if !new_ids.contains(end.as_str()) && graph.node(end).is_none() {
                        return Err(GraphError::UnknownNode(end.clone()));
                    }
                }
            }
            Ok(())
        })
    }
}

async fn read_store(db: &Db) -> Result<KnowledgeGraph, DataError> {
    let (nodes, edges) = KgNode::load_all(db).await?;
    Ok(KnowledgeGraph::from_rows(
        nodes.into_iter().map(node_of),
        edges.into_iter().map(edge_of),
    )?)
}

/// Upserts the rows into `graph`, nodes first.
fn apply(
    graph: &mut KnowledgeGraph,
    nodes: Vec<KgNode>,
    edges: Vec<KgEdge>,
) -> Result<(), GraphError> {
    for node in nodes {
        graph.upsert_node(node_of(node))?;
    }
    for edge in edges {
        graph.upsert_edge(&edge_of(edge))?;
    }
    Ok(())
}

fn node_of(row: KgNode) -> GraphNode {
    GraphNode {
        id: row.id,
        kind: row.kind,
        label: row.label,
        props: row.props.0,
    }
}

fn edge_of(row: KgEdge) -> GraphEdge {
    GraphEdge {
        from: row.from_id,
        to: row.to_id,
        kind: row.kind,
        weight: row.weight,
    }
}
