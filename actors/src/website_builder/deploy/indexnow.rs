//! IndexNow: tells search engines which URLs of a site changed, by one JSON POST per batch of
//! `{host, key, keyLocation, urlList}` to the configured endpoint. The key proves ownership:
//! the site serves it as `key.txt` at its root (`keyLocation`), which every build then carries.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use super::excerpt;

/// The protocol's cap on URLs per request.
pub const MAX_URLS_PER_REQUEST: usize = 10_000;
/// Where the key is served, relative to the site's root.
pub const KEY_FILE: &str = "key.txt";

/// `[sites.indexnow]` of `cluster.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndexNowSettings {
    /// Ping on every publish.
    pub enabled: bool,
    /// 8-128 of `a-z A-Z 0-9 -`; every site serves it as `key.txt`.
    pub key: String,
    /// Any IndexNow engine; api.indexnow.org shares the ping with all of them.
    pub endpoint: String,
    pub timeout_ms: u64,
}

impl Default for IndexNowSettings {
    fn default() -> Self {
        IndexNowSettings {
            enabled: false,
            key: String::new(),
            endpoint: "https://api.indexnow.org/indexnow".to_owned(),
            timeout_ms: 10_000,
        }
    }
}

impl IndexNowSettings {
    /// `(setting, value, reason)` for the first bad setting.
    pub fn validate(&self) -> Result<(), (String, String, String)> {
        if !self.enabled {
            return Ok(());
        }
        if !is_key(&self.key) {
            return Err((
                "sites.indexnow.key".into(),
                format!("<{} characters>", self.key.chars().count()),
                "must be 8-128 of a-z, A-Z, 0-9 and `-` when IndexNow is enabled".into(),
            ));
        }
        let endpoint_ok = Url::parse(&self.endpoint)
            .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some());
        if !endpoint_ok {
            return Err((
                "sites.indexnow.endpoint".into(),
                self.endpoint.clone(),
                "must be an http(s) URL".into(),
            ));
        }
        Ok(())
    }
}

/// Whether `key` is a key the protocol accepts.
pub fn is_key(key: &str) -> bool {
    (8..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[derive(Debug, thiserror::Error)]
pub enum IndexNowError {
    #[error("the IndexNow key is not 8-128 of a-z, A-Z, 0-9 and `-`")]
    InvalidKey,
    #[error("`{0}` is not an http(s) URL with a host")]
    InvalidUrl(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(#[source] reqwest::Error),
    #[error("IndexNow request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// 400 malformed, 403 key not found at `keyLocation`, 422 URLs not on the host, 429 too often.
    #[error("IndexNow answered {status} ({meaning}): {detail}")]
    Refused {
        status: u16,
        meaning: &'static str,
        detail: String,
    },
}

/// What the engines were told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submitted {
    pub urls: usize,
    pub requests: usize,
    /// Whether any answer was 202: received, the key not yet checked.
    pub key_pending: bool,
}

#[derive(Debug, Serialize)]
struct Ping<'a> {
    host: &'a str,
    key: &'a str,
    #[serde(rename = "keyLocation")]
    key_location: &'a str,
    #[serde(rename = "urlList")]
    url_list: &'a [String],
}

/// A client for one engine endpoint.
#[derive(Debug, Clone)]
pub struct IndexNow {
    http: reqwest::Client,
    settings: IndexNowSettings,
}

impl IndexNow {
    pub fn new(settings: IndexNowSettings) -> Result<IndexNow, IndexNowError> {
        if !is_key(&settings.key) {
            return Err(IndexNowError::InvalidKey);
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(settings.timeout_ms.max(1)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(IndexNowError::Client)?;
        Ok(IndexNow { http, settings })
    }

    /// Submits `urls` of the site at `base_url` (`https://host/optional/path/`), whose key file
    /// is `<base_url>key.txt`, in batches of [`MAX_URLS_PER_REQUEST`].
    pub async fn submit(
        &self,
        base_url: &str,
        urls: &[String],
    ) -> Result<Submitted, IndexNowError> {
        let base = Url::parse(base_url)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| IndexNowError::InvalidUrl(base_url.to_owned()))?;
        let host = base
            .host_str()
            .ok_or_else(|| IndexNowError::InvalidUrl(base_url.to_owned()))?;
        let key_location = base
            .join(KEY_FILE)
            .map_err(|_| IndexNowError::InvalidUrl(base_url.to_owned()))?;
        let mut submitted = Submitted {
            urls: 0,
            requests: 0,
            key_pending: false,
        };
        for batch in urls.chunks(MAX_URLS_PER_REQUEST) {
            let ping = Ping {
                host,
                key: &self.settings.key,
                key_location: key_location.as_str(),
                url_list: batch,
            };
            // The protocol names the charset; reqwest's `.json` would send plain application/json.
            let body = serde_json::to_vec(&ping).unwrap_or_default();
            let response = self
                .http
                .post(&self.settings.endpoint)
                .header("content-type", "application/json; charset=utf-8")
                .body(body)
                .send()
                .await
                .map_err(IndexNowError::Transport)?;
            let status = response.status().as_u16();
            match status {
                200 => {}
                202 => submitted.key_pending = true,
                _ => {
                    let text = response.text().await.unwrap_or_default();
                    return Err(IndexNowError::Refused {
                        status,
                        meaning: meaning(status),
                        detail: excerpt(&text, &self.settings.key),
                    });
                }
            }
            submitted.urls += batch.len();
            submitted.requests += 1;
        }
        Ok(submitted)
    }
}

fn meaning(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        403 => "key not valid: key.txt not found or not holding the key",
        422 => "URLs not on the host, or the key does not match the protocol's schema",
        429 => "too many requests",
        _ => "unexpected answer",
    }
}

#[cfg(test)]
mod tests;
