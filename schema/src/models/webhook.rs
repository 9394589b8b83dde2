//! `webhook_subscriptions` and `webhook_deliveries`: who is told about which events, and the
//! outbox of deliveries (with their attempts, the next try and the last answer). A delivery's id
//! comes from its event and subscription, so an event queued twice (by two nodes, or by a retry)
//! is one delivery.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;

use crate::clock::now;
use crate::db::Db;
use crate::error::StoreResult;
use crate::json::Json;
use crate::page::{Page, PageRequest};
use crate::schema::{webhook_deliveries, webhook_subscriptions};
use crate::stamp::{MaybeStamp, Stamp};
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_subscriptions)]
pub struct Subscription {
    pub id: String,
    pub url: String,
    /// Event types, or `["*"]` for all.
    pub events: Json<Vec<String>>,
    /// `whsec_` + base64 of the signing key.
    pub secret: String,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    /// Since when every delivery has failed; cleared by a success.
    #[diesel(deserialize_as = MaybeStamp)]
    pub failing_since: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeStamp)]
    pub disabled_at: Option<NaiveDateTime>,
    pub disabled_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    /// `msg_…`: the `webhook-id` header, the same on every attempt.
    pub id: String,
    pub subscription_id: String,
    pub event_type: String,
    /// The JSON body sent.
    pub payload: String,
    /// `pending`, `delivered` or `failed` (attempts used up).
    pub status: String,
    pub attempts: i64,
    #[diesel(deserialize_as = Stamp)]
    pub next_attempt_at: NaiveDateTime,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = MaybeStamp)]
    pub delivered_at: Option<NaiveDateTime>,
}

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

impl Subscription {
    pub fn listens_to(&self, event_type: &str) -> bool {
        self.events
            .0
            .iter()
            .any(|event| event == "*" || event == event_type)
    }

    pub async fn create(db: &Db, row: &Subscription) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::insert_into(webhook_subscriptions::table)
                .values(row)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Newest first, a page at a time (ids grow with time).
    pub async fn page(db: &Db, page: &PageRequest) -> StoreResult<Page<Subscription>> {
        let cursor = page.cursor().map(str::to_owned);
        let fetch = page.fetch();
        let rows: Vec<Subscription> = crate::load_rows!(db, {
            let mut query = webhook_subscriptions::table
                .select(Subscription::as_select())
                .into_boxed();
            if let Some(cursor) = cursor {
                query = query.filter(webhook_subscriptions::id.lt(cursor));
            }
            query.order(webhook_subscriptions::id.desc()).limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |subscription| &subscription.id))
    }

    /// Every subscription, oldest first (the event listener's view).
    pub async fn list(db: &Db) -> StoreResult<Vec<Subscription>> {
        with_conn!(db, |conn| Ok(webhook_subscriptions::table
            .order(webhook_subscriptions::id.asc())
            .select(Subscription::as_select())
            .load(conn)
            .await?))
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<Subscription> {
        with_conn!(db, |conn| Ok(webhook_subscriptions::table
            .find(id)
            .select(Subscription::as_select())
            .first(conn)
            .await?))
    }

    /// Deletes the subscription and its deliveries; `false` if there was none.
    pub async fn delete(db: &Db, id: &str) -> StoreResult<bool> {
        transaction!(db, |conn| {
            diesel::delete(
                webhook_deliveries::table.filter(webhook_deliveries::subscription_id.eq(id)),
            )
            .execute(conn)
            .await?;
            let deleted = diesel::delete(webhook_subscriptions::table.find(id))
                .execute(conn)
                .await?;
            Ok(deleted == 1)
        })
    }

    /// A delivery succeeded: the subscription is healthy again.
    pub async fn healthy(db: &Db, id: &str) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::update(webhook_subscriptions::table.find(id))
                .filter(webhook_subscriptions::failing_since.is_not_null())
                .set(webhook_subscriptions::failing_since.eq(None::<NaiveDateTime>))
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// A delivery failed: marks when the failing began, and disables the subscription once it
    /// has failed since before `disable_before`. Returns whether it is now disabled.
    pub async fn failing(db: &Db, id: &str, disable_before: NaiveDateTime) -> StoreResult<bool> {
        let at = now();
        transaction!(db, |conn| {
            diesel::update(webhook_subscriptions::table.find(id))
                .filter(webhook_subscriptions::failing_since.is_null())
                .set(webhook_subscriptions::failing_since.eq(Some(at)))
                .execute(conn)
                .await?;
            let disabled = diesel::update(webhook_subscriptions::table.find(id))
                .filter(webhook_subscriptions::disabled_at.is_null())
                .filter(webhook_subscriptions::failing_since.lt(disable_before))
                .set((
                    webhook_subscriptions::disabled_at.eq(Some(at)),
                    webhook_subscriptions::disabled_reason
                        .eq(Some("every delivery failed for too long")),
                ))
                .execute(conn)
                .await?;
            Ok(disabled == 1)
        })
    }
}

impl Delivery {
    /// Queues the event `{type, timestamp, data}` (the body every subscriber receives) as
    /// [`Delivery::enqueue`] does.
    pub async fn enqueue_event(
        db: &Db,
        event_type: &str,
        event_key: &str,
        data: serde_json::Value,
    ) -> StoreResult<usize> {
        let body = serde_json::json!({
            "type": event_type,
            "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "data": data,
        })
        .to_string();
        Delivery::enqueue(db, event_type, event_key, &body).await
    }

    /// Queues `payload` for every enabled subscription listening to `event_type`; `event_key`
    /// names the event, so queuing it again adds nothing. Returns how many were queued.
    pub async fn enqueue(
        db: &Db,
        event_type: &str,
        event_key: &str,
        payload: &str,
    ) -> StoreResult<usize> {
        let subscriptions: Vec<Subscription> = Subscription::list(db)
            .await?
            .into_iter()
            .filter(|s| s.disabled_at.is_none() && s.listens_to(event_type))
            .collect();
        if subscriptions.is_empty() {
            return Ok(0);
        }
        let at = now();
        let rows: Vec<Delivery> = subscriptions
            .iter()
            .map(|subscription| Delivery {
                id: message_id(&subscription.id, event_key),
                subscription_id: subscription.id.clone(),
                event_type: event_type.to_owned(),
                payload: payload.to_owned(),
                status: PENDING.to_owned(),
                attempts: 0,
                next_attempt_at: at,
                last_status: None,
                last_error: None,
                created_at: at,
                delivered_at: None,
            })
            .collect();
        transaction!(db, |conn| {
            let mut queued = 0;
            for row in &rows {
                queued += diesel::insert_into(webhook_deliveries::table)
                    .values(row)
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await?;
            }
            Ok(queued)
        })
    }

    /// Up to `limit` pending deliveries due now, each claimed for `lease` (its next attempt
    /// moved past the lease, so another node or pass does not send it meanwhile).
    pub async fn claim_due(
        db: &Db,
        limit: i64,
        lease: chrono::Duration,
    ) -> StoreResult<Vec<Delivery>> {
        let at = now();
        let due: Vec<Delivery> = with_conn!(db, |conn| webhook_deliveries::table
            .filter(webhook_deliveries::status.eq(PENDING))
            .filter(webhook_deliveries::next_attempt_at.le(at))
            .order(webhook_deliveries::next_attempt_at.asc())
            .limit(limit)
            .select(Delivery::as_select())
            .load(conn)
            .await?);
        let mut claimed = Vec::with_capacity(due.len());
        for delivery in due {
            let taken = with_conn!(db, |conn| diesel::update(
                webhook_deliveries::table.find(&delivery.id)
            )
            .filter(webhook_deliveries::status.eq(PENDING))
            .filter(webhook_deliveries::next_attempt_at.eq(delivery.next_attempt_at))
            .set(webhook_deliveries::next_attempt_at.eq(at + lease))
            .execute(conn)
            .await?);
            if taken == 1 {
                claimed.push(delivery);
            }
        }
        Ok(claimed)
    }

    /// One attempt's outcome: delivered, or retried at `retry_at` (`None`: attempts used up).
    pub async fn attempted(
        db: &Db,
        id: &str,
        status: Option<i64>,
        error: Option<String>,
        retry_at: Option<NaiveDateTime>,
    ) -> StoreResult<()> {
        let at = now();
        let delivered = error.is_none();
        let state = match (delivered, retry_at) {
            (true, _) => DELIVERED,
            (false, Some(_)) => PENDING,
            (false, None) => FAILED,
        };
        with_conn!(db, |conn| {
            diesel::update(webhook_deliveries::table.find(id))
                .set((
                    webhook_deliveries::status.eq(state),
                    webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
                    webhook_deliveries::last_status.eq(status),
                    webhook_deliveries::last_error.eq(error),
                    webhook_deliveries::next_attempt_at.eq(retry_at.unwrap_or(at)),
                    webhook_deliveries::delivered_at.eq(delivered.then_some(at)),
                ))
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// A subscription's deliveries, newest first, a page at a time.
    pub async fn of_subscription(
        db: &Db,
        subscription_id: &str,
        page: &PageRequest,
    ) -> StoreResult<Page<Delivery>> {
        // Delivery ids come from their events, not the clock: the cursor is the last delivery's
        // id, and the page goes on from its (created_at, id).
        let after = match page.cursor() {
            None => None,
            Some(cursor) => {
                let created_at: Option<NaiveDateTime> =
                    with_conn!(db, |conn| webhook_deliveries::table
                        .find(cursor)
                        .select(webhook_deliveries::created_at)
                        .first(conn)
                        .await
                        .optional()?);
                // A cursor naming no delivery (it was deleted) ends the list.
                let Some(created_at) = created_at else {
                    return Ok(Page::from_rows(Vec::new(), page, |d: &Delivery| &d.id));
                };
                Some((created_at, cursor.to_owned()))
            }
        };
        let subscription_id = subscription_id.to_owned();
        let fetch = page.fetch();
        let rows: Vec<Delivery> = crate::load_rows!(db, {
            let mut query = webhook_deliveries::table
                .filter(webhook_deliveries::subscription_id.eq(subscription_id))
                .select(Delivery::as_select())
                .into_boxed();
            if let Some((created_at, id)) = after {
                query = query.filter(
                    webhook_deliveries::created_at.lt(created_at).or(
                        webhook_deliveries::created_at
                            .eq(created_at)
                            .and(webhook_deliveries::id.lt(id)),
                    ),
                );
            }
            query
                .order((
                    webhook_deliveries::created_at.desc(),
                    webhook_deliveries::id.desc(),
                ))
                .limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |delivery| &delivery.id))
    }

    /// Sends a delivery again from the start (same id, attempts reset); `false` if the
    /// subscription has no such delivery.
    pub async fn replay(db: &Db, subscription_id: &str, id: &str) -> StoreResult<bool> {
        let replayed = with_conn!(db, |conn| diesel::update(
            webhook_deliveries::table
                .find(id)
                .filter(webhook_deliveries::subscription_id.eq(subscription_id))
        )
        .set((
            webhook_deliveries::status.eq(PENDING),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::next_attempt_at.eq(now()),
            webhook_deliveries::delivered_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .await?);
        Ok(replayed == 1)
    }
}

/// `msg_` + 32 hex digits of SHA-256 over the subscription and the event key.
fn message_id(subscription_id: &str, event_key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{subscription_id}\n{event_key}").as_bytes());
    format!("msg_{}", crate::hex::hex(&digest[..16]))
}
