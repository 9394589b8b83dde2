//! Mail: every message is written to the outbox table first ([`queue`]), and the sender
//! ([`send`]) delivers it through the configured provider: the embedded `outbox` writes it to
//! the log and sends nothing, `sendgrid` and `mailgun` speak their HTTP APIs. Suppressed
//! addresses (unsubscribed) are never mailed, checked when queued and again when sent.

mod compose;
pub mod mailgun;
mod send;
pub mod sendgrid;

use std::time::Duration;

use empire_schema::Db;
use empire_schema::models::EmailMessage;

pub use compose::{ALERT, OPT_IN, alert, opt_in};

use crate::config::{EmailConfig, EmailProvider};

/// A provider's answer to one message.
#[derive(Debug)]
pub enum Refusal {
    /// Worth trying again (rate limited, the provider down, the network), after `after` when
    /// the provider said so.
    Retry {
        error: String,
        after: Option<Duration>,
    },
    /// Never going to be accepted (a malformed message, an unknown domain).
    Permanent(String),
}

/// Who sends.
pub enum Mailer {
    /// Writes to the log; sends nothing.
    Outbox,
    Sendgrid(sendgrid::Sendgrid),
    Mailgun(mailgun::Mailgun),
}

impl Mailer {
    pub fn new(config: &EmailConfig) -> reqwest::Result<Mailer> {
        let client = || {
            reqwest::Client::builder()
                .timeout(Duration::from_millis(config.timeout_ms.max(1)))
                .user_agent("empire-mail/1.0")
                .build()
        };
        Ok(match config.provider {
            EmailProvider::Outbox => Mailer::Outbox,
            EmailProvider::Sendgrid => Mailer::Sendgrid(sendgrid::Sendgrid::new(client()?, config)),
            EmailProvider::Mailgun => Mailer::Mailgun(mailgun::Mailgun::new(client()?, config)),
        })
    }

    /// Sends one message: the provider's message id when it has one (`None` from the outbox).
    pub async fn deliver(&self, message: &EmailMessage) -> Result<Option<String>, Refusal> {
        match self {
            Mailer::Outbox => {
                tracing::info!(
                    id = %message.id,
                    purpose = %message.purpose,
                    subject = %message.subject,
                    "email kept in the outbox (provider = outbox: nothing is sent)"
                );
                Ok(None)
            }
            Mailer::Sendgrid(sendgrid) => sendgrid.send(message).await,
            Mailer::Mailgun(mailgun) => mailgun.send(message).await,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Mailer::Outbox => "outbox",
            Mailer::Sendgrid(_) => "sendgrid",
            Mailer::Mailgun(_) => "mailgun",
        }
    }
}

/// Starts the sender on the current runtime.
pub fn start(db: &Db, config: &EmailConfig) -> anyhow::Result<()> {
    let mailer = Mailer::new(config)?;
    tokio::spawn(send::run(db.clone(), config.clone(), mailer));
    Ok(())
}

/// How a provider's HTTP answer is classed: 2xx accepted; 429, 5xx and auth failures (fixed by
/// the operator, then the retry goes through) are retried; other 4xx are permanent.
pub(crate) fn classify(
    status: reqwest::StatusCode,
    retry_after: Option<&reqwest::header::HeaderValue>,
    body: &str,
) -> Refusal {
    let excerpt: String = body.chars().take(200).collect();
    let error = format!("HTTP {}: {excerpt}", status.as_u16());
    let retried = status.is_server_error() || matches!(status.as_u16(), 401 | 403 | 408 | 429);
    if retried {
        let after = retry_after
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Refusal::Retry { error, after }
    } else {
        Refusal::Permanent(error)
    }
}

/// A transport failure, without the URL (it may carry a domain or key).
pub(crate) fn transport(error: reqwest::Error) -> Refusal {
    Refusal::Retry {
        error: crate::outbound::deliver::request_error(error),
        after: None,
    }
}

/// The sender's display name, safe inside a header: no quotes, angle brackets or line breaks.
pub(crate) fn display_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control() && !"\"<>\\".contains(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}
