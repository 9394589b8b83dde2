//! The deliverer: every second it claims the deliveries that are due, POSTs each (signed, with
//! `webhook-id`, `webhook-timestamp` and `webhook-signature`) and records the answer. A 2xx is
//! delivered; anything else is retried with exponential backoff and jitter until the attempts
//! are used up, and a subscription whose every delivery has failed for too long disables
//! itself. Redirects are not followed, and unless private targets are allowed, only public
//! addresses are connected to (checked after DNS resolution, like the research fetcher).

use std::time::Duration;

use chrono::Utc;
use empire_actors::intelligence::web::{GuardedResolver, is_public};
use empire_schema::Db;
use empire_schema::models::{Delivery, Subscription};
use futures::StreamExt;

use super::signing;
use crate::config::{IntegrationsConfig, WebhooksConfig};
use crate::metrics::WEBHOOK_DELIVERIES;

/// Deliveries claimed per pass.
const BATCH: i64 = 64;
/// Sent at once.
const CONCURRENCY: usize = 8;
/// How long a claimed delivery is hidden from other passes and nodes: long enough for the whole
/// batch to be attempted (each attempt takes at most `timeout_ms`), and no longer, so the
/// deliveries of a node that died are retried soon after.
fn lease(config: &WebhooksConfig) -> chrono::Duration {
    let rounds = BATCH as u64 / CONCURRENCY as u64;
    let ms = config.timeout_ms.max(1).saturating_mul(rounds) + 1_000;
    chrono::Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX / 2))
}
/// The longest answer read (the body is only kept as an error excerpt).
const ERROR_EXCERPT: usize = 200;

pub(super) fn client(config: &WebhooksConfig) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_millis(config.timeout_ms.max(1)))
        .user_agent("empire-webhooks/1.0");
    let builder = if config.allow_private_targets {
        builder
    } else {
        builder.dns_resolver(GuardedResolver {
            allow_loopback: false,
        })
    };
    builder.build()
}

/// Whether `url` may be delivered to: http(s), and (unless private targets are allowed) not a
/// literal private, loopback or link-local address (names are checked when resolved).
pub fn target_allowed(url: &str, config: &WebhooksConfig) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|_| "is not a URL".to_owned())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("must be an http(s) URL".into());
    }
    if config.allow_private_targets {
        return Ok(());
    }
    let ip = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        Some(url::Host::Domain(domain)) if domain.eq_ignore_ascii_case("localhost") => {
            return Err("is not a public address".into());
        }
        Some(url::Host::Domain(_)) => return Ok(()),
        None => return Err("has no host".into()),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err("is not a public address (set integrations.webhooks.allow_private_targets for a local n8n)".into())
    }
}

/// Delivers due messages forever.
pub(super) async fn run(db: Db, integrations: IntegrationsConfig, client: reqwest::Client) {
    let config = &integrations.webhooks;
    let mut tick = tokio::time::interval(Duration::from_millis(config.poll_ms.max(10)));
    loop {
        tick.tick().await;
        let due = match Delivery::claim_due(&db, BATCH, lease(config)).await {
            Ok(due) => due,
            Err(error) => {
                tracing::warn!(%error, "webhooks: outbox not read");
                continue;
            }
        };
        futures::stream::iter(due)
            .for_each_concurrent(CONCURRENCY, |delivery| {
                let (db, client, integrations) = (&db, &client, &integrations);
                async move { attempt(db, integrations, client, delivery).await }
            })
            .await;
    }
}

async fn attempt(
    db: &Db,
    integrations: &IntegrationsConfig,
    client: &reqwest::Client,
    delivery: Delivery,
) {
    let config = &integrations.webhooks;
    let subscription = match Subscription::get(db, &delivery.subscription_id).await {
        Ok(subscription) => subscription,
        Err(error) => {
            tracing::warn!(%error, id = %delivery.id, "webhooks: subscription not read");
            return;
        }
    };
    let outcome = if subscription.disabled_at.is_some() {
        Err((None, "the subscription is disabled".to_owned()))
    } else {
        send(config, client, &subscription, &delivery).await
    };
    let number = delivery.attempts + 1;
    let result = match outcome {
        Ok(status) => {
            metrics::counter!(WEBHOOK_DELIVERIES, "outcome" => "delivered").increment(1);
            Delivery::attempted(db, &delivery.id, Some(status), None, None)
                .await
                .and(Subscription::healthy(db, &subscription.id).await)
        }
        Err((status, error)) => {
            let retry_at = (number < i64::from(config.max_attempts))
                .then(|| Utc::now().naive_utc() + backoff(config, number));
            let outcome = if retry_at.is_some() {
                "retrying"
            } else {
                "failed"
            };
            metrics::counter!(WEBHOOK_DELIVERIES, "outcome" => outcome).increment(1);
            tracing::info!(id = %delivery.id, attempt = number, error, "webhook not delivered");
            let disable_before = Utc::now().naive_utc()
                - chrono::Duration::days(i64::from(config.disable_after_days));
            match Delivery::attempted(db, &delivery.id, status, Some(error), retry_at).await {
                Ok(()) => match Subscription::failing(db, &subscription.id, disable_before).await {
                    Ok(true) => {
                        tracing::warn!(subscription = %subscription.id, "webhook subscription disabled: failing too long");
                        crate::email::alert(
                            db,
                            &integrations.email,
                            "a webhook subscription disabled itself",
                            &format!(
                                "Every delivery to subscription {} failed for {} days, so it is \
                                 disabled. Its delivery log: GET /api/v1/webhooks/subscriptions/{}/deliveries\n",
                                subscription.id, config.disable_after_days, subscription.id
                            ),
                        )
                        .await;
                        Ok(())
                    }
                    Ok(false) => Ok(()),
                    Err(error) => Err(error),
                },
                Err(error) => Err(error),
            }
        }
    };
    if let Err(error) = result {
        tracing::warn!(%error, id = %delivery.id, "webhooks: attempt not recorded");
    }
}

/// One POST: the answer's status when it is a 2xx, else `(status, reason)`.
async fn send(
    config: &WebhooksConfig,
    client: &reqwest::Client,
    subscription: &Subscription,
    delivery: &Delivery,
) -> Result<i64, (Option<i64>, String)> {
    target_allowed(&subscription.url, config)
        .map_err(|reason| (None, format!("target {reason}")))?;
    let timestamp = Utc::now().timestamp();
    let signature = signing::sign(
        &subscription.secret,
        &delivery.id,
        timestamp,
        &delivery.payload,
    )
    .ok_or((None, "the subscription's secret is malformed".to_owned()))?;
    let response = client
        .post(&subscription.url)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(delivery.payload.clone())
        .send()
        .await
        .map_err(|error| (None, request_error(error)))?;
    let status = i64::from(response.status().as_u16());
    if response.status().is_success() {
        return Ok(status);
    }
    let body = response.text().await.unwrap_or_default();
    let excerpt: String = body.chars().take(ERROR_EXCERPT).collect();
    Err((Some(status), format!("HTTP {status}: {excerpt}")))
}

/// The reason without the URL's query (it may carry a token).
pub(crate) fn request_error(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut reason = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        reason = format!("{reason}: {cause}");
        source = cause.source();
    }
    reason
}

/// `retry_base_ms · 2^(attempt-1)`, capped at `retry_max_ms`, then ±20 % jitter.
fn backoff(config: &WebhooksConfig, attempt: i64) -> chrono::Duration {
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let base = config
        .retry_base_ms
        .saturating_mul(2u64.saturating_pow(exponent))
        .min(config.retry_max_ms);
    let jitter = 0.8 + rand::random::<f64>() * 0.4;
    chrono::Duration::milliseconds((base as f64 * jitter) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let config = WebhooksConfig::default();
        for attempt in 1..=20 {
            let expected =
                (config.retry_base_ms << (attempt - 1).min(30)).min(config.retry_max_ms) as f64;
            let delay = backoff(&config, attempt as i64).num_milliseconds() as f64;
            assert!(
                delay >= expected * 0.8 - 1.0 && delay <= expected * 1.2 + 1.0,
                "{attempt}: {delay}"
            );
        }
    }

    #[test]
    fn private_targets_are_refused_unless_allowed() {
        let strict = WebhooksConfig::default();
        for url in [
            "http://127.0.0.1:5678/webhook/x",
            "http://10.0.0.5/",
            "http://[::1]/",
            "http://169.254.169.254/",
            "http://localhost:5678/",
            "ftp://n8n.example/",
        ] {
            assert!(target_allowed(url, &strict).is_err(), "{url}");
        }
        assert!(target_allowed("https://n8n.example.com/webhook/abc", &strict).is_ok());
        let local = WebhooksConfig {
            allow_private_targets: true,
            ..WebhooksConfig::default()
        };
        assert!(target_allowed("http://127.0.0.1:5678/webhook/x", &local).is_ok());
    }
}
