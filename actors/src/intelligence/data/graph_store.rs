//! `GraphService`: the node's knowledge graph in memory, loaded from `kg_nodes`/`kg_edges` at
//! start; writes are checked, stored, then applied in memory, so the rows are the truth.
//!
//! Each node keeps its own copy: another node's writes reach it on [`GraphService::reload`]
//! (or a restart), not live.

use std::collections::HashSet;
use std::sync::{Arc, PoisonError, RwLock};

use empire_schema::Db;
use empire_schema::models::{KgEdge, KgNode};

use super::error::DataError;
use crate::intelligence::graph::rows::check_id;
use crate::intelligence::graph::{GraphEdge, GraphError, GraphNode, KnowledgeGraph};

/// A handle on the node's graph; cheap to clone.
#[derive(Clone)]
pub struct GraphService {
    db: Db,
    graph: Arc<RwLock<KnowledgeGraph>>,
}

impl GraphService {
    /// Loads every stored node and edge.
    pub async fn load(db: Db) -> Result<GraphService, DataError> {
        let graph = read_store(&db).await?;
        Ok(GraphService {
            db,
            graph: Arc::new(RwLock::new(graph)),
        })
    }

    /// Replaces the in-memory graph with the stored one (picking up other nodes' writes).
    pub async fn reload(&self) -> Result<(), DataError> {
        let graph = read_store(&self.db).await?;
        *self.graph.write().unwrap_or_else(PoisonError::into_inner) = graph;
        Ok(())
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
            .map(|edge| KgEdge {
                from_id: edge.from.clone(),
                to_id: edge.to.clone(),
                kind: edge.kind,
                weight: edge.weight,
            })
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
    let nodes = nodes.into_iter().map(|row| GraphNode {
        id: row.id,
        kind: row.kind,
        label: row.label,
        props: row.props.0,
    });
    let edges = edges.into_iter().map(|row| GraphEdge {
        from: row.from_id,
        to: row.to_id,
        kind: row.kind,
        weight: row.weight,
    });
    Ok(KnowledgeGraph::from_rows(nodes, edges)?)
}
