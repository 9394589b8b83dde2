//! `email_messages` and `email_suppressions`: the mail outbox (every message is written here
//! first and sent from here, so nothing is lost to a restart) and the addresses never mailed
//! again.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::{email_messages, email_suppressions};
use crate::stamp::{MaybeStamp, Stamp};
use crate::types::EmailStatus;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = email_messages)]
pub struct EmailMessage {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    /// `double_opt_in` or `alert`.
    pub purpose: String,
    pub lead_id: Option<String>,
    /// Sent as `List-Unsubscribe` (with one-click `List-Unsubscribe-Post`).
    pub unsubscribe_url: Option<String>,
    pub status: EmailStatus,
    pub provider: Option<String>,
    pub provider_message_id: Option<String>,
    pub attempts: i64,
    #[diesel(deserialize_as = Stamp)]
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = MaybeStamp)]
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewEmail {
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub purpose: &'static str,
    pub lead_id: Option<String>,
    pub unsubscribe_url: Option<String>,
}

/// How one attempt at a message ended.
#[derive(Debug, Clone)]
pub enum Attempt {
    Sent {
        provider: String,
        message_id: Option<String>,
    },
    /// The embedded provider wrote it to the log.
    Logged,
    Suppressed,
    Retry {
        at: NaiveDateTime,
        error: String,
    },
    Failed {
        error: String,
    },
}

impl EmailMessage {
    /// Queues a message; one to a suppressed address is stored as `suppressed` and never sent.
    pub async fn queue(db: &Db, new: NewEmail) -> StoreResult<EmailMessage> {
        let at = now();
        let suppressed = Suppression::contains(db, &new.to_address).await?;
        let message = EmailMessage {
            id: new_id(),
            to_address: new.to_address,
            subject: new.subject,
            text_body: new.text_body,
            purpose: new.purpose.to_owned(),
            lead_id: new.lead_id,
            unsubscribe_url: new.unsubscribe_url,
            status: if suppressed {
                EmailStatus::Suppressed
            } else {
                EmailStatus::Queued
            },
            provider: None,
            provider_message_id: None,
            attempts: 0,
            next_attempt_at: at,
            last_error: None,
            created_at: at,
            sent_at: None,
        };
        with_conn!(db, |conn| {
            diesel::insert_into(email_messages::table)
                .values(&message)
                .execute(conn)
                .await?;
        });
        Ok(message)
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<EmailMessage> {
        with_conn!(db, |conn| Ok(email_messages::table
            .find(id)
            .select(EmailMessage::as_select())
            .first(conn)
            .await?))
    }

    /// Whether a message with this purpose (and subject, when given) went to `to` since `since`.
    pub async fn sent_since(
        db: &Db,
        to: &str,
        purpose: &str,
        subject: Option<&str>,
        since: NaiveDateTime,
    ) -> StoreResult<bool> {
        let count: i64 = with_conn!(db, |conn| {
            let mut query = email_messages::table
                .filter(email_messages::to_address.eq(to))
                .filter(email_messages::purpose.eq(purpose))
                .filter(email_messages::created_at.ge(since))
                .into_boxed();
            if let Some(subject) = subject {
                query = query.filter(email_messages::subject.eq(subject));
            }
            query.count().get_result(conn).await?
        });
        Ok(count > 0)
    }

    /// The messages written to a lead, oldest first.
    pub async fn for_lead(db: &Db, lead_id: &str) -> StoreResult<Vec<EmailMessage>> {
        with_conn!(db, |conn| Ok(email_messages::table
            .filter(email_messages::lead_id.eq(lead_id))
            .order(email_messages::id.asc())
            .select(EmailMessage::as_select())
            .load(conn)
            .await?))
    }

    /// Claims up to `limit` due messages, hiding each from other passes and nodes for `lease`.
    pub async fn claim_due(
        db: &Db,
        limit: i64,
        lease: chrono::Duration,
    ) -> StoreResult<Vec<EmailMessage>> {
        let at = now();
        let due: Vec<EmailMessage> = with_conn!(db, |conn| email_messages::table
            .filter(email_messages::status.eq(EmailStatus::Queued))
            .filter(email_messages::next_attempt_at.le(at))
            .order(email_messages::next_attempt_at.asc())
            .limit(limit)
            .select(EmailMessage::as_select())
            .load(conn)
            .await?);
        let mut claimed = Vec::with_capacity(due.len());
        for message in due {
            let taken = with_conn!(db, |conn| diesel::update(
                email_messages::table.find(&message.id)
            )
            .filter(email_messages::status.eq(EmailStatus::Queued))
            .filter(email_messages::next_attempt_at.eq(message.next_attempt_at))
            .set(email_messages::next_attempt_at.eq(at + lease))
            .execute(conn)
            .await?);
            if taken == 1 {
                claimed.push(message);
            }
        }
        Ok(claimed)
    }

    /// Records one attempt.
    pub async fn attempted(db: &Db, id: &str, attempt: Attempt) -> StoreResult<()> {
        let at = now();
        let (status, provider, message_id, error, next, sent_at) = match attempt {
            Attempt::Sent {
                provider,
                message_id,
            } => (
                EmailStatus::Sent,
                Some(provider),
                message_id,
                None,
                at,
                Some(at),
            ),
            Attempt::Logged => (
                EmailStatus::Logged,
                Some("outbox".to_owned()),
                None,
                None,
                at,
                Some(at),
            ),
            Attempt::Suppressed => (EmailStatus::Suppressed, None, None, None, at, None),
            Attempt::Retry { at: next, error } => {
                (EmailStatus::Queued, None, None, Some(error), next, None)
            }
            Attempt::Failed { error } => (EmailStatus::Failed, None, None, Some(error), at, None),
        };
        with_conn!(db, |conn| {
            diesel::update(email_messages::table.find(id))
                .set((
                    email_messages::status.eq(status),
                    email_messages::provider.eq(provider),
                    email_messages::provider_message_id.eq(message_id),
                    email_messages::last_error.eq(error),
                    email_messages::next_attempt_at.eq(next),
                    email_messages::sent_at.eq(sent_at),
                    email_messages::attempts.eq(email_messages::attempts + 1),
                ))
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}

/// An address never to be mailed again.
pub struct Suppression;

impl Suppression {
    pub async fn contains(db: &Db, address: &str) -> StoreResult<bool> {
        let count: i64 = with_conn!(db, |conn| email_suppressions::table
            .filter(email_suppressions::address.eq(address))
            .count()
            .get_result(conn)
            .await?);
        Ok(count > 0)
    }

    pub async fn add(db: &Db, address: &str, reason: &str) -> StoreResult<()> {
        let at = now();
        with_conn!(db, |conn| {
            diesel::insert_into(email_suppressions::table)
                .values((
                    email_suppressions::address.eq(address),
                    email_suppressions::reason.eq(reason),
                    email_suppressions::created_at.eq(at),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}
