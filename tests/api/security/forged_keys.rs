//! A flood of well-formed forged API keys costs at most `rate_limit.key_lookup` database
//! lookups per address, so a real user's requests neither queue on the pool nor get 503.
//! The flood is 2,000 keys; `EMPIRE_TEST_FORGED_KEYS=10000` runs the full size.

use empire::extract::TrustedProxies;
use futures::StreamExt;
use reqwest::Method;

use crate::helpers::{backends, spawn_app_with};

const ATTACKER: &str = "198.51.100.66";
const USER: &str = "203.0.113.10";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_keys_do_not_starve_a_real_user() {
    let flood: usize = std::env::var("EMPIRE_TEST_FORGED_KEYS")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(2_000);
    for backend in backends() {
        let app = spawn_app_with(backend, |config| {
            config.http.trusted_proxies = TrustedProxies::parse(["127.0.0.0/8"]).unwrap();
            // The attacker's failures must not be what stops it: only the lookup gate may.
            config.rate_limit.anonymous = empire::ratelimit::LimitConfig::new(1_000_000, 1e9);
            config.database.pool_size = 2;
            config.rate_limit.key_lookup = empire::ratelimit::LimitConfig::new(20, 60.0);
        })
        .await;
        let admin = app.admin_token().await;
        let (key, _) = app.api_key(&admin, &["agents.read"]).await;

        let forged = futures::stream::iter(0..flood)
            .map(|_| {
                let secret = empire::auth::api_key::generate().secret;
                app.client
                    .get(app.url("/api/v1/agents"))
                    .bearer_auth(secret)
                    .header("x-forwarded-for", ATTACKER)
                    .send()
            })
            .buffer_unordered(64)
            .map(|response| response.unwrap().status().as_u16())
            .collect::<Vec<u16>>();
        let user = async {
            let mut statuses = Vec::new();
            for _ in 0..40 {
                let response = app
                    .with(Method::GET, "/api/v1/agents", &key)
                    .header("x-forwarded-for", USER)
                    .send()
                    .await
                    .unwrap();
                statuses.push(response.status().as_u16());
                tokio::task::yield_now().await;
            }
            statuses
        };
        let (forged, user) = tokio::join!(forged, user);

        assert!(
            user.iter().all(|status| *status == 200),
            "{backend:?}: {user:?}"
        );
        assert!(!forged.contains(&503), "{backend:?}: the pool ran dry");
        let throttled = forged.iter().filter(|status| **status == 429).count();
        assert!(
            throttled >= flood - 100,
            "{backend:?}: only {throttled} throttled"
        );
        let metrics = app.get("/metrics").await.text().await.unwrap();
        let timeouts = metrics
            .lines()
            .find(|line| line.starts_with("db_pool_timeouts_total"))
            .and_then(|line| line.split_whitespace().last())
            .unwrap_or("0");
        assert_eq!(timeouts, "0", "{backend:?}");
    }
}

/// A key with a real key's public prefix and a valid checksum, but the wrong secret.
fn forge_with_prefix(prefix: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let base32 = |bytes: &[u8]| {
        let mut out = String::new();
        let (mut buffer, mut bits) = (0u32, 0u32);
        for &byte in bytes {
            buffer = (buffer << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
            }
        }
        out
    };
    let body = format!("{}{}", &prefix[4..], "a".repeat(52 - (prefix.len() - 4)));
    let check: String = base32(&Sha256::digest(body.as_bytes()))
        .chars()
        .take(6)
        .collect();
    format!("mfm_{body}{check}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_key_with_a_real_prefix_is_not_recorded_as_use() {
    for backend in backends() {
        let app = spawn_app_with(backend, |_| {}).await;
        let admin = app.admin_token().await;
        let (key, id) = app.api_key(&admin, &["agents.read"]).await;
        let forged = forge_with_prefix(&key[..16]);
        assert_eq!(
            empire::auth::api_key::parse(&forged).unwrap(),
            key[..16].to_owned()
        );
        let response = app
            .with(Method::GET, "/api/v1/agents", &forged)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{backend:?}");
        let stored = empire_schema::models::ApiKey::get(&app.db, &id)
            .await
            .unwrap();
        assert!(stored.last_used_at.is_none(), "{backend:?}");
    }
}
