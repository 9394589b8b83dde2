//! `cluster_identity`: one random id per database. Cluster nodes exchange it so a node that
//! joins with another database is noticed and given no work.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::cluster_identity;
use crate::stamp::Stamp;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = cluster_identity)]
pub struct ClusterIdentity {
    pub singleton: i32,
    pub id: String,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
}

impl ClusterIdentity {
    /// This database's id, created by whichever node asks first.
    pub async fn get_or_create(db: &Db) -> StoreResult<String> {
        let candidate = ClusterIdentity {
            singleton: 1,
            id: new_id(),
            created_at: now(),
        };
        with_conn!(db, |conn| {
            diesel::insert_into(cluster_identity::table)
                .values(&candidate)
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            Ok(cluster_identity::table
                .select(cluster_identity::id)
                .first::<String>(conn)
                .await?)
        })
    }
}
