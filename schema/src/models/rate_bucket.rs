//! `rate_buckets`: token buckets kept in the database, for the limits every node must share
//! when no Redis is configured. Each take is one transaction holding the bucket's row, with
//! the same refill arithmetic as the in-process and Redis buckets.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::cache::{BucketState, Take};
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::rate_buckets;
use crate::{clock, transaction};

pub struct RateBucket;

impl RateBucket {
    /// Refills `key`'s bucket for the time since its last take, then takes `take.cost` if the
    /// tokens are there. A new bucket starts full.
    pub async fn take(db: &Db, key: &str, take: Take) -> StoreResult<BucketState> {
        let now = clock::now();
        transaction!(db, |conn| {
            diesel::insert_into(rate_buckets::table)
                .values((
                    rate_buckets::key.eq(key),
                    rate_buckets::tokens.eq(f64::from(take.capacity)),
                    rate_buckets::updated_at.eq(now),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            // A write first, so that PostgreSQL holds the row until the transaction ends and a
            // concurrent take waits rather than refills from the same reading.
            diesel::update(rate_buckets::table.find(key))
                .set(rate_buckets::key.eq(key))
                .execute(conn)
                .await?;
            let (tokens, updated_at): (f64, NaiveDateTime) = rate_buckets::table
                .find(key)
                .select((rate_buckets::tokens, rate_buckets::updated_at))
                .first(conn)
                .await?;
            // Another node's clock may run ahead: never a negative refill.
            let elapsed = (now - updated_at).to_std().unwrap_or(Duration::ZERO);
            let (tokens, state) = take.apply(tokens, elapsed);
            diesel::update(rate_buckets::table.find(key))
                .set((
                    rate_buckets::tokens.eq(tokens),
                    rate_buckets::updated_at.eq(now.max(updated_at)),
                ))
                .execute(conn)
                .await?;
            Ok(state)
        })
    }
}
