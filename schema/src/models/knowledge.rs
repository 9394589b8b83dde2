//! `kg_nodes` and `kg_edges`: the knowledge graph's rows, nodes by stable UUID, at most one edge
//! per (from, to, kind). The in-memory graph is loaded from them at start, and each node follows
//! the others' writes through [`KgNode::changed_since`].

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use serde_json::Value;

use crate::clock::now;
use crate::db::Db;
use crate::error::StoreResult;
use crate::json::Json;
use crate::schema::{kg_edges, kg_nodes};
use crate::stamp::Stamp;
use crate::types::{EdgeKind, NodeKind};
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = kg_nodes, treat_none_as_default_value = false)]
pub struct KgNode {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    pub props: Json<Value>,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = kg_edges, treat_none_as_default_value = false)]
pub struct KgEdge {
    pub from_id: String,
    pub to_id: String,
    pub kind: EdgeKind,
    pub weight: f64,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

impl KgEdge {
    pub fn new(from_id: String, to_id: String, kind: EdgeKind, weight: f64) -> KgEdge {
        KgEdge {
            from_id,
            to_id,
            kind,
            weight,
            updated_at: now(),
        }
    }
}

impl KgNode {
    pub fn new(id: String, kind: NodeKind, label: String, props: Value) -> KgNode {
        KgNode {
            id,
            kind,
            label,
            props: Json(props),
            updated_at: now(),
        }
    }

    /// Every node and every edge, for loading the graph.
    pub async fn load_all(db: &Db) -> StoreResult<(Vec<KgNode>, Vec<KgEdge>)> {
        with_conn!(db, |conn| {
            let nodes = kg_nodes::table
                .order(kg_nodes::id.asc())
                .select(KgNode::as_select())
                .load(conn)
                .await?;
            let edges = kg_edges::table
                .select(KgEdge::as_select())
                .load(conn)
                .await?;
            Ok((nodes, edges))
        })
    }

    /// The nodes and edges written at or after `since` (by the writer's clock).
    pub async fn changed_since(
        db: &Db,
        since: NaiveDateTime,
    ) -> StoreResult<(Vec<KgNode>, Vec<KgEdge>)> {
        with_conn!(db, |conn| {
            let nodes = kg_nodes::table
                .filter(kg_nodes::updated_at.ge(since))
                .select(KgNode::as_select())
                .load(conn)
                .await?;
            let edges = kg_edges::table
                .filter(kg_edges::updated_at.ge(since))
                .select(KgEdge::as_select())
                .load(conn)
                .await?;
            Ok((nodes, edges))
        })
    }

    /// Upserts nodes (by id) then edges (by from, to, kind) in one transaction.
    pub async fn save(db: &Db, nodes: &[KgNode], edges: &[KgEdge]) -> StoreResult<()> {
        transaction!(db, |conn| {
            for node in nodes {
                diesel::insert_into(kg_nodes::table)
                    .values(node)
                    .on_conflict(kg_nodes::id)
                    .do_update()
                    .set((
                        kg_nodes::kind.eq(excluded(kg_nodes::kind)),
                        kg_nodes::label.eq(excluded(kg_nodes::label)),
                        kg_nodes::props.eq(excluded(kg_nodes::props)),
                        kg_nodes::updated_at.eq(excluded(kg_nodes::updated_at)),
                    ))
                    .execute(conn)
                    .await?;
            }
            for edge in edges {
                diesel::insert_into(kg_edges::table)
                    .values(edge)
                    .on_conflict((kg_edges::from_id, kg_edges::to_id, kg_edges::kind))
                    .do_update()
                    .set((
                        kg_edges::weight.eq(excluded(kg_edges::weight)),
                        kg_edges::updated_at.eq(excluded(kg_edges::updated_at)),
                    ))
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })
    }

    /// Removes a node; its edges go with it (ON DELETE CASCADE).
    pub async fn delete(db: &Db, id: &str) -> StoreResult<bool> {
        let deleted = with_conn!(db, |conn| diesel::delete(kg_nodes::table.find(id))
            .execute(conn)
            .await?);
        Ok(deleted > 0)
    }
}
