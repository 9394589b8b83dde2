//! The sender: every `poll_ms` it claims the due messages of the outbox and hands each to the
//! provider, recording the outcome. A refused message is retried with exponential backoff (or
//! the provider's `Retry-After`) until its attempts are used up.

use std::time::Duration;

use chrono::Utc;
use empire_schema::Db;
use empire_schema::models::{Attempt, EmailMessage, Suppression};

use super::{Mailer, Refusal};
use crate::config::EmailConfig;
use crate::metrics::EMAILS;

const BATCH: i64 = 32;
/// How long a claimed message is hidden from other passes and nodes.
const LEASE_S: i64 = 120;

pub(super) async fn run(db: Db, config: EmailConfig, mailer: Mailer) {
    let mut tick = tokio::time::interval(Duration::from_millis(config.poll_ms.max(10)));
    loop {
        tick.tick().await;
        let due =
            match EmailMessage::claim_due(&db, BATCH, chrono::Duration::seconds(LEASE_S)).await {
                Ok(due) => due,
                Err(error) => {
                    tracing::warn!(%error, "email: outbox not read");
                    continue;
                }
            };
        for message in due {
            let attempt = attempt(&db, &config, &mailer, &message).await;
            let outcome = match &attempt {
                Attempt::Sent { .. } => "sent",
                Attempt::Logged => "logged",
                Attempt::Suppressed => "suppressed",
                Attempt::Retry { .. } => "retrying",
                Attempt::Failed { .. } => "failed",
            };
            metrics::counter!(EMAILS, "outcome" => outcome, "provider" => mailer.name())
                .increment(1);
            if let Attempt::Retry { error, .. } | Attempt::Failed { error } = &attempt {
                tracing::warn!(id = %message.id, provider = mailer.name(), error, "email not sent");
            }
            if let Err(error) = EmailMessage::attempted(&db, &message.id, attempt).await {
                tracing::warn!(%error, id = %message.id, "email: attempt not recorded");
            }
        }
    }
}

async fn attempt(
    db: &Db,
    config: &EmailConfig,
    mailer: &Mailer,
    message: &EmailMessage,
) -> Attempt {
    match Suppression::contains(db, &message.to_address).await {
        Ok(true) => return Attempt::Suppressed,
        Ok(false) => {}
        Err(error) => {
            return Attempt::Retry {
                at: Utc::now().naive_utc() + chrono::Duration::seconds(LEASE_S),
                error: format!("suppression list not read: {error}"),
            };
        }
    }
    match mailer.deliver(message).await {
        Ok(_) if matches!(mailer, Mailer::Outbox) => Attempt::Logged,
        Ok(message_id) => Attempt::Sent {
            provider: mailer.name().to_owned(),
            message_id,
        },
        Err(Refusal::Permanent(error)) => Attempt::Failed { error },
        Err(Refusal::Retry { error, .. })
            if message.attempts + 1 >= i64::from(config.max_attempts) =>
        {
            Attempt::Failed {
                error: format!("{error} (after {} attempts)", message.attempts + 1),
            }
        }
        Err(Refusal::Retry { error, after }) => {
            let delay = after.unwrap_or_else(|| backoff(config, message.attempts + 1));
            Attempt::Retry {
                at: Utc::now().naive_utc()
                    + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1)),
                error,
            }
        }
    }
}

/// `retry_base_ms · 2^(attempt-1)`, at most a day.
fn backoff(config: &EmailConfig, attempt: i64) -> Duration {
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let ms = config
        .retry_base_ms
        .saturating_mul(2u64.saturating_pow(exponent))
        .min(86_400_000);
    Duration::from_millis(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_at_a_day() {
        let config = EmailConfig::default();
        assert_eq!(
            backoff(&config, 1),
            Duration::from_millis(config.retry_base_ms)
        );
        assert_eq!(
            backoff(&config, 3),
            Duration::from_millis(config.retry_base_ms * 4)
        );
        assert_eq!(backoff(&config, 40), Duration::from_secs(86_400));
    }
}
