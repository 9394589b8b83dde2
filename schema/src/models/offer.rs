//! `offers`: the catalogue of affiliate offers per niche (AWIN programmes and products,
//! Digistore24 products); one row per (niche, network, url), so adding an offer twice is an update.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use serde::Serialize;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::{links, offers};
use crate::stamp::Stamp;
use crate::types::{Network, OfferStatus};
use crate::{transaction, with_conn};

/// Inserts or updates one offer row on a connection of either backend (inside a transaction).
#[macro_export]
#[doc(hidden)]
macro_rules! upsert_offer {
    ($conn:ident, $row:expr) => {
        diesel::insert_into($crate::schema::offers::table)
            .values($row)
            .on_conflict((
                $crate::schema::offers::niche,
                $crate::schema::offers::network,
                $crate::schema::offers::url,
            ))
            .do_update()
            .set((
                $crate::schema::offers::name.eq(excluded($crate::schema::offers::name)),
                $crate::schema::offers::advertiser_id
                    .eq(excluded($crate::schema::offers::advertiser_id)),
                $crate::schema::offers::product_id.eq(excluded($crate::schema::offers::product_id)),
                $crate::schema::offers::price_cents
                    .eq(excluded($crate::schema::offers::price_cents)),
                $crate::schema::offers::currency.eq(excluded($crate::schema::offers::currency)),
                $crate::schema::offers::updated_at.eq(excluded($crate::schema::offers::updated_at)),
            ))
            .execute($conn)
            .await?
    };
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = offers, treat_none_as_default_value = false)]
pub struct Offer {
    pub id: String,
    pub network: Network,
    pub niche: String,
    pub name: String,
    /// The merchant's landing page (AWIN) or the product page (Digistore24) a link leads to.
    pub url: String,
    pub advertiser_id: Option<String>,
    pub product_id: Option<String>,
    /// In minor units of `currency`.
    pub price_cents: Option<i64>,
    pub currency: Option<String>,
    pub status: OfferStatus,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

/// An offer to add to a niche's catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOffer {
    pub network: Network,
    pub niche: String,
    pub name: String,
    pub url: String,
    pub advertiser_id: Option<String>,
    pub product_id: Option<String>,
    pub price_cents: Option<i64>,
    pub currency: Option<String>,
}

impl Offer {
    /// The row `new` becomes when it is first stored.
    pub fn row(new: NewOffer) -> Offer {
        let at = now();
        Offer {
            id: new_id(),
            network: new.network,
            niche: new.niche,
            name: new.name,
            url: new.url,
            advertiser_id: new.advertiser_id,
            product_id: new.product_id,
            price_cents: new.price_cents,
            currency: new.currency,
            status: OfferStatus::Active,
            created_at: at,
            updated_at: at,
        }
    }

    /// Adds `batch` to the catalogue in one transaction; an offer already there (same niche,
    /// network and url) gets the new name, ids and price and keeps its id and status.
    pub async fn upsert_many(db: &Db, batch: Vec<NewOffer>) -> StoreResult<()> {
        let rows: Vec<Offer> = batch.into_iter().map(Offer::row).collect();
        transaction!(db, |conn| {
            for row in &rows {
                crate::upsert_offer!(conn, row);
            }
            Ok(())
        })
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<Offer> {
        with_conn!(db, |conn| Ok(offers::table
            .find(id)
            .select(Offer::as_select())
            .first(conn)
            .await?))
    }

    /// What the link-health check looks at: offers some link leads to, and broken ones (they
    /// may answer again), of `niche` when given, least recently checked (or changed) first.
    pub async fn to_check(db: &Db, niche: Option<&str>, limit: i64) -> StoreResult<Vec<Offer>> {
        with_conn!(db, |conn| {
            let mut query = offers::table
                .filter(
                    offers::id
                        .eq_any(links::table.select(links::offer_id))
                        .or(offers::status.eq(OfferStatus::Broken)),
                )
                .order((offers::updated_at.asc(), offers::id.asc()))
                .limit(limit)
                .select(Offer::as_select())
                .into_boxed();
            if let Some(niche) = niche {
                query = query.filter(offers::niche.eq(niche));
            }
            Ok(query.load(conn).await?)
        })
    }

    /// Sets the offer's status; `updated_at` records the check either way.
    pub async fn set_status(db: &Db, id: &str, status: OfferStatus) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::update(offers::table.find(id))
                .set((offers::status.eq(status), offers::updated_at.eq(now())))
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// The active offers of `niche`, oldest first (a stable order for link placement).
    pub async fn active_for_niche(db: &Db, niche: &str) -> StoreResult<Vec<Offer>> {
        with_conn!(db, |conn| Ok(offers::table
            .filter(offers::niche.eq(niche))
            .filter(offers::status.eq(OfferStatus::Active))
            .order(offers::id.asc())
            .select(Offer::as_select())
            .load(conn)
            .await?))
    }
}
