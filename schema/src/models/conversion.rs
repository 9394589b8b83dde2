//! `conversions`: the sales networks report (AWIN transactions, Digistore24 payments), each
//! attributed to the site, page and offer of the `/go` link whose code it carries as click
//! reference; and `conversion_events`: every notification received, so a repeated one (networks
//! retry for days) changes nothing. A sale's status only moves forward.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::{conversion_events, conversions, links};
use crate::stamp::Stamp;
use crate::types::{ConversionStatus, Network};
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = conversions)]
pub struct Conversion {
    pub id: String,
    pub network: Network,
    /// The network's id of the sale (AWIN's transaction id; a Digistore24 order item and
    /// payment number).
    pub external_id: String,
    pub order_id: Option<String>,
    pub status: ConversionStatus,
    /// Our commission, in cents of `currency`.
    pub commission_cents: i64,
    pub sale_cents: Option<i64>,
    pub currency: String,
    /// The click reference the network passed back: a `/go` link's code, when it was ours.
    pub link_code: Option<String>,
    pub website_id: Option<String>,
    pub page_id: Option<String>,
    pub offer_id: Option<String>,
    #[diesel(deserialize_as = Stamp)]
    pub occurred_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

/// One sale as a notification reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedSale {
    pub network: Network,
    pub external_id: String,
    pub order_id: Option<String>,
    pub status: ConversionStatus,
    pub commission_cents: i64,
    pub sale_cents: Option<i64>,
    pub currency: String,
    pub click_ref: Option<String>,
    pub occurred_at: NaiveDateTime,
}

/// What a notification did.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    /// The same notification arrived before; nothing changed.
    Repeated,
    /// The sale is stored as it now stands.
    Applied(Conversion),
    /// The notification is older than what is stored (its status is behind); kept, not applied.
    Behind(Conversion),
}

#[derive(Insertable)]
#[diesel(table_name = conversion_events)]
struct NewEvent<'a> {
    network: Network,
    event_key: &'a str,
    event: &'a str,
    conversion_id: Option<&'a str>,
    received_at: NaiveDateTime,
}

impl Conversion {
    /// Records the notification `event_key` (unique per network) of kind `event` about `sale`,
    /// in one transaction: a new sale is stored and attributed by its click reference; a known
    /// one takes the reported status and amounts only when that moves it forward.
    pub async fn record(
        db: &Db,
        event_key: &str,
        event: &str,
        sale: &ReportedSale,
    ) -> StoreResult<Recorded> {
        let at = now();
        transaction!(db, |conn| {
            let existing: Option<Conversion> = conversions::table
                .filter(conversions::network.eq(sale.network))
                .filter(conversions::external_id.eq(&sale.external_id))
                .select(Conversion::as_select())
                .first(conn)
                .await
                .optional()?;
            let fresh = diesel::insert_into(conversion_events::table)
                .values(NewEvent {
                    network: sale.network,
                    event_key,
                    event,
                    conversion_id: existing.as_ref().map(|c| c.id.as_str()),
                    received_at: at,
                })
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            if fresh == 0 {
                return Ok(Recorded::Repeated);
            }
            let Some(current) = existing else {
                let link = match &sale.click_ref {
                    Some(code) => links::table
                        .find(code)
                        .select((links::website_id, links::page_id, links::offer_id))
                        .first::<(String, String, String)>(conn)
                        .await
                        .optional()?,
                    None => None,
                };
                let (website_id, page_id, offer_id) = match link {
                    Some((website, page, offer)) => (Some(website), Some(page), Some(offer)),
                    None => (None, None, None),
                };
                let row = Conversion {
                    id: new_id(),
                    network: sale.network,
                    external_id: sale.external_id.clone(),
                    order_id: sale.order_id.clone(),
                    status: sale.status,
                    commission_cents: sale.commission_cents,
                    sale_cents: sale.sale_cents,
                    currency: sale.currency.clone(),
                    link_code: website_id.as_ref().and(sale.click_ref.clone()),
                    website_id,
                    page_id,
                    offer_id,
                    occurred_at: sale.occurred_at,
                    updated_at: at,
                };
                diesel::insert_into(conversions::table)
                    .values(&row)
                    .execute(conn)
                    .await?;
                diesel::update(conversion_events::table)
                    .filter(conversion_events::network.eq(sale.network))
                    .filter(conversion_events::event_key.eq(event_key))
                    .set(conversion_events::conversion_id.eq(&row.id))
                    .execute(conn)
                    .await?;
                return Ok(Recorded::Applied(row));
            };
            if sale.status.rank() <= current.status.rank() && sale.status != current.status {
                return Ok(Recorded::Behind(current));
            }
            let updated = Conversion {
                status: sale.status,
                commission_cents: sale.commission_cents,
                sale_cents: sale.sale_cents.or(current.sale_cents),
                updated_at: at,
                ..current
            };
            diesel::update(conversions::table.find(&updated.id))
                .set((
                    conversions::status.eq(updated.status),
                    conversions::commission_cents.eq(updated.commission_cents),
                    conversions::sale_cents.eq(updated.sale_cents),
                    conversions::updated_at.eq(at),
                ))
                .execute(conn)
                .await?;
            Ok(Recorded::Applied(updated))
        })
    }

    /// Keeps a notification that reports no sale (a connection test, an affiliation) so a
    /// repeat is recognised; `false` when it was seen before.
    pub async fn note_event(
        db: &Db,
        network: Network,
        event_key: &str,
        event: &str,
    ) -> StoreResult<bool> {
        let fresh = with_conn!(db, |conn| diesel::insert_into(conversion_events::table)
            .values(NewEvent {
                network,
                event_key,
                event,
                conversion_id: None,
                received_at: now(),
            })
            .on_conflict_do_nothing()
            .execute(conn)
            .await?);
        Ok(fresh == 1)
    }

    /// Which of `order_ids` have a sale stored from `network`.
    pub async fn known_orders(
        db: &Db,
        network: Network,
        order_ids: &[String],
    ) -> StoreResult<Vec<String>> {
        let mut known = Vec::new();
        for chunk in order_ids.chunks(500) {
            let found: Vec<Option<String>> = with_conn!(db, |conn| conversions::table
                .filter(conversions::network.eq(network))
                .filter(conversions::order_id.eq_any(chunk))
                .select(conversions::order_id)
                .distinct()
                .load(conn)
                .await?);
            known.extend(found.into_iter().flatten());
        }
        Ok(known)
    }

    pub async fn find(db: &Db, network: Network, external_id: &str) -> StoreResult<Conversion> {
        with_conn!(db, |conn| Ok(conversions::table
            .filter(conversions::network.eq(network))
            .filter(conversions::external_id.eq(external_id))
            .select(Conversion::as_select())
            .first(conn)
            .await?))
    }

    /// Sales since `since` that earn (pending or approved), for the offers in `offer_ids`:
    /// `(offer_id, currency, count, commission_cents)`.
    pub async fn earnings_by_offer_since(
        db: &Db,
        offer_ids: &[String],
        since: NaiveDateTime,
    ) -> StoreResult<Vec<(String, String, i64, i64)>> {
        let earning = [ConversionStatus::Pending, ConversionStatus::Approved];
        // Summed here: PostgreSQL sums BIGINT as NUMERIC.
        let rows: Vec<(Option<String>, String, i64)> = with_conn!(db, |conn| conversions::table
            .filter(conversions::offer_id.eq_any(offer_ids))
            .filter(conversions::occurred_at.ge(since))
            .filter(conversions::status.eq_any(earning))
            .select((
                conversions::offer_id,
                conversions::currency,
                conversions::commission_cents,
            ))
            .load(conn)
            .await?);
        let mut totals: std::collections::BTreeMap<(String, String), (i64, i64)> =
            std::collections::BTreeMap::new();
        for (offer, currency, cents) in rows {
            if let Some(offer) = offer {
                let total = totals.entry((offer, currency)).or_default();
                total.0 += 1;
                total.1 = total.1.saturating_add(cents);
            }
        }
        Ok(totals
            .into_iter()
            .map(|((offer, currency), (count, cents))| (offer, currency, count, cents))
            .collect())
    }

    /// A site's sales that occurred since `since`, oldest first.
    pub async fn for_website_since(
        db: &Db,
        website_id: &str,
        since: NaiveDateTime,
    ) -> StoreResult<Vec<Conversion>> {
        with_conn!(db, |conn| Ok(conversions::table
            .filter(conversions::website_id.eq(website_id))
            .filter(conversions::occurred_at.ge(since))
            .order(conversions::occurred_at.asc())
            .select(Conversion::as_select())
            .load(conn)
            .await?))
    }
}
