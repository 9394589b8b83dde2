//! The messages this system writes: the double opt-in for a new lead and operator alerts.

use chrono::Duration;
use empire_schema::models::{EmailMessage, Lead, NewEmail};
use empire_schema::{Db, StoreResult, clock};

use crate::config::EmailConfig;

pub const OPT_IN: &str = "double_opt_in";
pub const ALERT: &str = "alert";

/// The same alert is sent at most once an hour.
const ALERT_QUIET_HOURS: i64 = 1;

/// Queues the confirm mail of a lead: its confirm link and its unsubscribe link both carry
/// `token` (only the token's hash is stored).
pub async fn opt_in(
    db: &Db,
    public_url: &str,
    lead: &Lead,
    token: &str,
    site_name: &str,
) -> StoreResult<EmailMessage> {
    let base = public_url.trim_end_matches('/');
    let confirm = format!("{base}/leads/confirm?token={token}");
    let unsubscribe = format!("{base}/leads/unsubscribe?token={token}");
    let text = format!(
        "Hello,\n\n\
         someone, hopefully you, asked to receive mail from {site_name} at this address.\n\
         To confirm, open this link:\n\n{confirm}\n\n\
         If it was not you, ignore this message: without a confirmation you will get nothing \
         more from us.\n\n\
         To stop all mail from {site_name}: {unsubscribe}\n"
    );
    EmailMessage::queue(
        db,
        NewEmail {
            to_address: lead.email.clone(),
            subject: format!("Please confirm your subscription to {site_name}"),
            text_body: text,
            purpose: OPT_IN,
            lead_id: Some(lead.id.clone()),
            unsubscribe_url: Some(unsubscribe),
        },
    )
    .await
}

/// Queues an operator alert to `alert_to` (none when it is empty, or when the same subject was
/// sent within the hour). Failures are logged: an alert is never worth failing the caller.
pub async fn alert(db: &Db, config: &EmailConfig, subject: &str, text: &str) {
    if config.alert_to.is_empty() {
        return;
    }
    let subject = format!("[empire] {subject}");
    let since = clock::now() - Duration::hours(ALERT_QUIET_HOURS);
    let queued =
        match EmailMessage::sent_since(db, &config.alert_to, ALERT, Some(&subject), since).await {
            Ok(true) => return,
            Ok(false) => {
                EmailMessage::queue(
                    db,
                    NewEmail {
                        to_address: config.alert_to.clone(),
                        subject,
                        text_body: text.to_owned(),
                        purpose: ALERT,
                        lead_id: None,
                        unsubscribe_url: None,
                    },
                )
                .await
            }
            Err(error) => Err(error),
        };
    if let Err(error) = queued {
        tracing::warn!(%error, "alert mail not queued");
    }
}
