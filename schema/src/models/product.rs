//! `products`: affiliate products from network feeds (AWIN), upserted by import key so a
//! re-import changes nothing, each write queueing the product for the search index.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;

use super::search_outbox::NewOutboxEntry;
use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::{products, search_outbox};
use crate::stamp::Stamp;
use crate::types::DocType;
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = products, treat_none_as_default_value = false)]
pub struct Product {
    pub id: String,
    /// `awin`.
    pub network: String,
    /// The advertiser's id on the network.
    pub merchant_id: String,
    /// The network's product id.
    pub product_id: String,
    pub name: String,
    /// The tracking link.
    pub deep_link: String,
    pub price_cents: i64,
    /// ISO 4217 code of `price_cents`.
    pub currency: String,
    pub category: Option<String>,
    pub in_stock: Option<bool>,
    pub import_key: String,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
    /// The product's picture as the feed publishes it (never served from there: the site
    /// builder localises it).
    pub image_url: Option<String>,
}

/// A product to upsert by `import_key`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProduct {
    pub network: String,
    pub merchant_id: String,
    pub product_id: String,
    pub name: String,
    pub deep_link: String,
    pub price_cents: i64,
    pub currency: String,
    pub category: Option<String>,
    pub in_stock: Option<bool>,
    pub import_key: String,
    pub image_url: Option<String>,
}

impl Product {
    /// Inserts or updates `batch` by import key in one transaction, with one outbox row each
    /// (`doc` makes the search document of a stored product). Returns the rows.
    pub async fn upsert_batch(
        db: &Db,
        batch: &[NewProduct],
        doc: fn(&Product) -> Value,
    ) -> StoreResult<Vec<Product>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let at = now();
        let rows: Vec<Product> = batch
            .iter()
            .map(|new| Product {
                id: new_id(),
                network: new.network.clone(),
                merchant_id: new.merchant_id.clone(),
                product_id: new.product_id.clone(),
                name: new.name.clone(),
                deep_link: new.deep_link.clone(),
                price_cents: new.price_cents,
                currency: new.currency.clone(),
                category: new.category.clone(),
                in_stock: new.in_stock,
                import_key: new.import_key.clone(),
                updated_at: at,
                image_url: new.image_url.clone(),
            })
            .collect();
        let keys: Vec<&str> = batch.iter().map(|new| new.import_key.as_str()).collect();
        transaction!(db, |conn| {
            for row in &rows {
                diesel::insert_into(products::table)
                    .values(row)
                    .on_conflict(products::import_key)
                    .do_update()
                    .set((
                        products::name.eq(excluded(products::name)),
                        products::deep_link.eq(excluded(products::deep_link)),
                        products::price_cents.eq(excluded(products::price_cents)),
                        products::currency.eq(excluded(products::currency)),
                        products::category.eq(excluded(products::category)),
                        products::in_stock.eq(excluded(products::in_stock)),
                        products::image_url.eq(excluded(products::image_url)),
                        products::updated_at.eq(excluded(products::updated_at)),
                    ))
                    .execute(conn)
                    .await?;
            }
            let stored: Vec<Product> = products::table
                .filter(products::import_key.eq_any(&keys))
                .select(Product::as_select())
                .load(conn)
                .await?;
            let outbox: Vec<NewOutboxEntry> = stored
                .iter()
                .map(|row| NewOutboxEntry::upsert(&row.id, DocType::Product, doc(row)))
                .collect();
            for entry in &outbox {
                diesel::insert_into(search_outbox::table)
                    .values(entry)
                    .execute(conn)
                    .await?;
            }
            Ok(stored)
        })
    }

    /// Up to `limit` products with ids after `after`, in id order: a walk over the whole table.
    pub async fn page_after(db: &Db, after: Option<&str>, limit: i64) -> StoreResult<Vec<Product>> {
        let after = after.unwrap_or("");
        with_conn!(db, |conn| Ok(products::table
            .filter(products::id.gt(after))
            .order(products::id.asc())
            .limit(limit)
            .select(Product::as_select())
            .load(conn)
            .await?))
    }

    /// Up to `limit` products whose name or category contains `term` (case as stored), dearest first.
    pub async fn matching(db: &Db, term: &str, limit: i64) -> StoreResult<Vec<Product>> {
        let pattern = format!("%{term}%");
        with_conn!(db, |conn| Ok(products::table
            .filter(
                products::name
                    .like(&pattern)
                    .or(products::category.like(&pattern)),
            )
            .order((products::price_cents.desc(), products::id.asc()))
            .limit(limit)
            .select(Product::as_select())
            .load(conn)
            .await?))
    }

    pub async fn count(db: &Db) -> StoreResult<i64> {
        with_conn!(db, |conn| Ok(products::table
            .count()
            .get_result(conn)
            .await?))
    }
}
