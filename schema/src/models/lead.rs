//! `leads` and `lead_events`: visitors who left their address on a website (with the consent
//! text they agreed to), where they are in the funnel, and every step they took. The token in
//! their confirm and unsubscribe links is kept only as its SHA-256 hash.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::page::{Page, PageRequest};
use crate::schema::{email_messages, email_suppressions, lead_events, leads};
use crate::stamp::{MaybeStamp, Stamp};
use crate::types::FunnelStage;
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = leads)]
pub struct Lead {
    pub id: String,
    /// Trimmed and lower-cased.
    pub email: String,
    pub quiz_answers: Json<Value>,
    pub persona: Option<String>,
    pub funnel_stage: FunnelStage,
    pub user_id: Option<String>,
    pub website_id: Option<String>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    /// The consent text the visitor agreed to, and when.
    pub consent_text: String,
    #[diesel(deserialize_as = MaybeStamp)]
    pub consented_at: Option<NaiveDateTime>,
    #[serde(skip)]
    pub token_hash: Option<String>,
    #[diesel(deserialize_as = MaybeStamp)]
    pub confirmed_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeStamp)]
    pub unsubscribed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = lead_events)]
pub struct LeadEvent {
    pub id: String,
    pub lead_id: String,
    /// `captured`, `opt_in_sent`, `confirmed`, `stage`, `unsubscribed`.
    pub kind: String,
    pub detail: String,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
}

/// An address given on a form, with the answers and the consent.
#[derive(Debug, Clone)]
pub struct NewLead {
    pub email: String,
    pub quiz_answers: Value,
    pub persona: Option<String>,
    pub website_id: Option<String>,
    pub consent_text: String,
}

/// Which leads to list.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub website_id: Option<String>,
    pub stage: Option<FunnelStage>,
    pub email: Option<String>,
}

/// A stage change refused because it would move the lead backwards (or nowhere).
#[derive(Debug, Clone, PartialEq)]
pub enum Advance {
    Moved(Box<Lead>),
    NotForward(FunnelStage),
}

impl Lead {
    /// Records a capture: a new lead, or the same address on the same website again (its
    /// answers, persona and consent replaced). `token_hash` replaces the stored one when given
    /// (a new confirm link is being sent). Answers the lead and whether it is new.
    pub async fn capture(
        db: &Db,
        new: NewLead,
        token_hash: Option<String>,
    ) -> StoreResult<(Lead, bool)> {
        let at = now();
        transaction!(db, |conn| {
            let mut query = leads::table
                .filter(leads::email.eq(&new.email))
                .select(Lead::as_select())
                .into_boxed();
            query = match &new.website_id {
                Some(website) => query.filter(leads::website_id.eq(website)),
                None => query.filter(leads::website_id.is_null()),
            };
            let existing = query.first(conn).await.optional()?;
            let detail = format!("persona={}", new.persona.as_deref().unwrap_or("-"));
            let (lead, fresh) = match existing {
                Some(mut lead) => {
                    lead.quiz_answers = Json(new.quiz_answers);
                    lead.persona = new.persona;
                    lead.consent_text = new.consent_text;
                    lead.consented_at = Some(at);
                    if token_hash.is_some() {
                        lead.token_hash = token_hash;
                    }
                    diesel::update(leads::table.find(&lead.id))
                        .set((
                            leads::quiz_answers.eq(&lead.quiz_answers),
                            leads::persona.eq(&lead.persona),
                            leads::consent_text.eq(&lead.consent_text),
                            leads::consented_at.eq(lead.consented_at),
                            leads::token_hash.eq(&lead.token_hash),
                        ))
                        .execute(conn)
                        .await?;
                    (lead, false)
                }
                None => {
                    let lead = Lead {
                        id: new_id(),
                        email: new.email,
                        quiz_answers: Json(new.quiz_answers),
                        persona: new.persona,
                        funnel_stage: FunnelStage::Captured,
                        user_id: None,
                        website_id: new.website_id,
                        created_at: at,
                        consent_text: new.consent_text,
                        consented_at: Some(at),
                        token_hash,
                        confirmed_at: None,
                        unsubscribed_at: None,
                    };
                    diesel::insert_into(leads::table)
                        .values(&lead)
                        .execute(conn)
                        .await?;
                    (lead, true)
                }
            };
            diesel::insert_into(lead_events::table)
                .values(event(&lead.id, "captured", &detail, at))
                .execute(conn)
                .await?;
            Ok((lead, fresh))
        })
    }

    /// The lead of this address on this website (or on none).
    pub async fn find(db: &Db, email: &str, website_id: Option<&str>) -> StoreResult<Option<Lead>> {
        with_conn!(db, |conn| {
            let mut query = leads::table
                .filter(leads::email.eq(email))
                .select(Lead::as_select())
                .into_boxed();
            query = match website_id {
                Some(website) => query.filter(leads::website_id.eq(website)),
                None => query.filter(leads::website_id.is_null()),
            };
            Ok(query.first(conn).await.optional()?)
        })
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<Lead> {
        with_conn!(db, |conn| Ok(leads::table
            .find(id)
            .select(Lead::as_select())
            .first(conn)
            .await?))
    }

    /// Newest first.
    pub async fn list(db: &Db, filter: &LeadFilter, page: &PageRequest) -> StoreResult<Page<Lead>> {
        let LeadFilter {
            website_id,
            stage,
            email,
        } = filter.clone();
        let cursor = page.cursor().map(str::to_owned);
        let fetch = page.fetch();
        let rows: Vec<Lead> = crate::load_rows!(db, {
            let mut query = leads::table.select(Lead::as_select()).into_boxed();
            if let Some(website) = website_id {
                query = query.filter(leads::website_id.eq(website));
            }
            if let Some(stage) = stage {
                query = query.filter(leads::funnel_stage.eq(stage));
            }
            if let Some(email) = email {
                query = query.filter(leads::email.eq(email));
            }
            if let Some(cursor) = cursor {
                query = query.filter(leads::id.lt(cursor));
            }
            query.order(leads::id.desc()).limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |lead| &lead.id))
    }

    /// The lead whose link carries this token.
    pub async fn by_token(db: &Db, token_hash: &str) -> StoreResult<Option<Lead>> {
        with_conn!(db, |conn| Ok(leads::table
            .filter(leads::token_hash.eq(token_hash))
            .select(Lead::as_select())
            .first(conn)
            .await
            .optional()?))
    }

    /// The double opt-in: confirmed now (once; later clicks change nothing).
    pub async fn confirm(db: &Db, id: &str) -> StoreResult<Lead> {
        let at = now();
        transaction!(db, |conn| {
            let updated = diesel::update(leads::table.find(id))
                .filter(leads::confirmed_at.is_null())
                .set(leads::confirmed_at.eq(at))
                .execute(conn)
                .await?;
            if updated == 1 {
                diesel::update(leads::table.find(id))
                    .filter(leads::funnel_stage.eq(FunnelStage::Captured))
                    .set(leads::funnel_stage.eq(FunnelStage::Confirmed))
                    .execute(conn)
                    .await?;
                diesel::insert_into(lead_events::table)
                    .values(event(id, "confirmed", "", at))
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })?;
        Lead::get(db, id).await
    }

    /// Unsubscribed now, and the address put on the suppression list: it is never mailed again.
    pub async fn unsubscribe(db: &Db, id: &str) -> StoreResult<Lead> {
        let at = now();
        let lead = Lead::get(db, id).await?;
        transaction!(db, |conn| {
            let updated = diesel::update(leads::table.find(id))
                .filter(leads::unsubscribed_at.is_null())
                .set(leads::unsubscribed_at.eq(at))
                .execute(conn)
                .await?;
            if updated == 1 {
                diesel::insert_into(email_suppressions::table)
                    .values((
                        email_suppressions::address.eq(&lead.email),
                        email_suppressions::reason.eq("unsubscribed"),
                        email_suppressions::created_at.eq(at),
                    ))
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await?;
                diesel::insert_into(lead_events::table)
                    .values(event(id, "unsubscribed", "", at))
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })?;
        Lead::get(db, id).await
    }

    /// Moves the lead to a later stage.
    pub async fn advance(db: &Db, id: &str, stage: FunnelStage) -> StoreResult<Advance> {
        let at = now();
        let lead = Lead::get(db, id).await?;
        if stage.rank() <= lead.funnel_stage.rank() {
            return Ok(Advance::NotForward(lead.funnel_stage));
        }
        let moved = transaction!(db, |conn| {
            let moved = diesel::update(leads::table.find(id))
                .filter(leads::funnel_stage.eq(lead.funnel_stage))
                .set(leads::funnel_stage.eq(stage))
                .execute(conn)
                .await?;
            if moved == 1 {
                diesel::insert_into(lead_events::table)
                    .values(event(id, "stage", stage.as_str(), at))
                    .execute(conn)
                    .await?;
            }
            Ok(moved)
        })?;
        let now = Lead::get(db, id).await?;
        Ok(if moved == 1 {
            Advance::Moved(Box::new(now))
        } else {
            Advance::NotForward(now.funnel_stage)
        })
    }

    /// Erases a lead on request: its row, its events and every message written to it.
    pub async fn delete(db: &Db, id: &str) -> StoreResult<()> {
        let deleted = transaction!(db, |conn| {
            diesel::delete(email_messages::table.filter(email_messages::lead_id.eq(id)))
                .execute(conn)
                .await?;
            diesel::delete(lead_events::table.filter(lead_events::lead_id.eq(id)))
                .execute(conn)
                .await?;
            Ok(diesel::delete(leads::table.find(id)).execute(conn).await?)
        })?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Its events, oldest first.
    pub async fn events(db: &Db, id: &str) -> StoreResult<Vec<LeadEvent>> {
        with_conn!(db, |conn| Ok(lead_events::table
            .filter(lead_events::lead_id.eq(id))
            .order((lead_events::created_at.asc(), lead_events::id.asc()))
            .select(LeadEvent::as_select())
            .load(conn)
            .await?))
    }

    /// Notes that a confirm link was mailed.
    pub async fn opt_in_sent(db: &Db, id: &str, message_id: &str) -> StoreResult<()> {
        let at = now();
        with_conn!(db, |conn| {
            diesel::insert_into(lead_events::table)
                .values(event(id, "opt_in_sent", message_id, at))
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}

fn event(lead_id: &str, kind: &str, detail: &str, at: NaiveDateTime) -> LeadEvent {
    LeadEvent {
        id: new_id(),
        lead_id: lead_id.to_owned(),
        kind: kind.to_owned(),
        detail: detail.to_owned(),
        created_at: at,
    }
}
