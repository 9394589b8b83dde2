//! Fetching other people's pages safely: only public addresses (checked after DNS resolution
//! and again on every redirect, which is followed by hand), robots.txt respected, bodies capped
//! in size and time.

mod guard;
mod page;
mod robots;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::redirect::Policy;
use serde::{Deserialize, Serialize};
use url::Url;

pub use guard::{Forbidden, GuardedResolver, is_public, may_connect};
pub use page::{Heading, PageSummary, summarise};
pub use robots::Robots;

/// Sent as `User-Agent` and matched against robots.txt groups.
pub const USER_AGENT: &str = "empire-research/1.0";
const MAX_REDIRECTS: usize = 5;
const ROBOTS_MAX_BYTES: usize = 512 * 1024;
/// What a link check reads of a page at most.
const CHECK_MAX_BYTES: usize = 8 * 1024;

/// `[web]`: how pages are fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebSettings {
    /// Bytes read of a page at most; the rest is dropped and the page marked truncated.
    pub max_page_bytes: usize,
    /// Per request, connect to last byte.
    pub timeout_ms: u64,
    /// TESTS ONLY: lets fetches reach loopback (fake servers on 127.0.0.1); private and
    /// link-local addresses stay refused. Never set it in production: it exposes the node's
    /// own services to whoever chooses the URLs.
    pub allow_loopback: bool,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            max_page_bytes: 2 * 1024 * 1024,
            timeout_ms: 10_000,
            allow_loopback: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0} is not a public address")]
    Forbidden(String),
    #[error("robots.txt disallows {0}")]
    Disallowed(String),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("bad redirect target: {0}")]
    BadRedirect(String),
    #[error("HTTP {0}")]
    Status(u16),
    #[error("not an HTML page ({0})")]
    NotHtml(String),
    #[error("not an image ({0})")]
    NotImage(String),
    #[error("larger than {0} bytes")]
    TooLarge(usize),
    #[error("request failed: {0}")]
    Request(String),
}

/// A fetched page.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    /// Where the page was finally served from, after redirects.
    pub url: Url,
    pub body: String,
    pub truncated: bool,
}

/// The node's page fetcher. Cheap to clone.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: Arc<WebSettings>,
}

impl Fetcher {
    pub fn new(settings: WebSettings) -> Result<Fetcher, FetchError> {
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            // A proxy would resolve names itself, out of the guard's sight.
            .no_proxy()
            .dns_resolver(GuardedResolver {
                allow_loopback: settings.allow_loopback,
            })
            .timeout(Duration::from_millis(settings.timeout_ms.max(1)))
            .connect_timeout(Duration::from_millis(settings.timeout_ms.clamp(1, 5_000)))
            .user_agent(USER_AGENT)
            .build()
            .map_err(|error| FetchError::Request(error.to_string()))?;
        Ok(Fetcher {
            client,
            settings: Arc::new(settings),
        })
    }

    /// Fetches an HTML page if robots.txt of its site allows it.
    pub async fn page(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.check_host(url)?;
        let robots = self.robots(url).await;
        if !robots.allows(&path_and_query(url)) {
            return Err(FetchError::Disallowed(url.to_string()));
        }
        let fetched = self.get(url, self.settings.max_page_bytes).await?;
        if let Some(kind) = fetched.kind.filter(|kind| !kind.contains("html")) {
            return Err(FetchError::NotHtml(kind));
        }
        Ok(Fetched {
            url: fetched.url,
            body: String::from_utf8_lossy(&fetched.body).into_owned(),
            truncated: fetched.truncated,
        })
    }

    /// The bytes of a picture (any `image/*` type, or none declared) of at most `max_bytes`:
    /// what a build localises. Like a browser loading an `<img>`, robots.txt is not consulted.
    pub async fn image(&self, url: &Url, max_bytes: usize) -> Result<Vec<u8>, FetchError> {
        let fetched = self.get(url, max_bytes).await?;
        if let Some(kind) = fetched.kind.filter(|kind| !kind.starts_with("image/")) {
            return Err(FetchError::NotImage(kind));
        }
        if fetched.truncated {
            return Err(FetchError::TooLarge(max_bytes));
        }
        Ok(fetched.body)
    }

    /// Whether `url` answers: a GET (redirects followed, each hop's host checked) that ends in
    /// a success, of which at most a few KiB are read. For link checks: robots.txt is not
    /// consulted, as a browser following the link would not.
    pub async fn check(&self, url: &Url) -> Result<(), FetchError> {
        self.get(url, CHECK_MAX_BYTES).await.map(|_| ())
    }

    /// The site's robots.txt for us; none, or one that cannot be read, allows everything.
    async fn robots(&self, url: &Url) -> Robots {
        let Ok(robots_url) = url.join("/robots.txt") else {
            return Robots::allow_all();
        };
        match self.get(&robots_url, ROBOTS_MAX_BYTES).await {
            Ok(fetched) => Robots::parse(&String::from_utf8_lossy(&fetched.body), USER_AGENT),
            Err(_) => Robots::allow_all(),
        }
    }

    /// GET with redirects followed by hand, each hop's host checked.
    async fn get(&self, url: &Url, max_bytes: usize) -> Result<Body, FetchError> {
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            self.check_host(&current)?;
            let response = self
                .client
                .get(current.clone())
                .send()
                .await
                .map_err(|error| request_error(&current, &error))?;
            let status = response.status();
            if status.is_redirection() {
                let location = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .ok_or_else(|| FetchError::BadRedirect("no Location".into()))?;
                current = current
                    .join(location)
                    .map_err(|_| FetchError::BadRedirect(location.to_owned()))?;
                if !matches!(current.scheme(), "http" | "https") {
                    return Err(FetchError::BadRedirect(current.to_string()));
                }
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Status(status.as_u16()));
            }
            let kind = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_ascii_lowercase);
            let (body, truncated) = read_capped(response, max_bytes).await?;
            return Ok(Body {
                url: current,
                kind,
                body,
                truncated,
            });
        }
        Err(FetchError::TooManyRedirects)
    }

    /// Literal IP hosts never reach the resolver, so they are checked here.
    fn check_host(&self, url: &Url) -> Result<(), FetchError> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
            Some(url::Host::Domain(_)) => return Ok(()),
            None => return Err(FetchError::Forbidden(url.to_string())),
        };
        if may_connect(ip, self.settings.allow_loopback) {
            Ok(())
        } else {
            Err(FetchError::Forbidden(ip.to_string()))
        }
    }
}

fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// A refusal by the resolver reads as `Forbidden`, not as a network failure.
fn request_error(url: &Url, error: &reqwest::Error) -> FetchError {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(cause) = source {
        if let Some(forbidden) = cause.downcast_ref::<Forbidden>() {
            return FetchError::Forbidden(forbidden.0.clone());
        }
        source = cause.source();
    }
    if error.is_timeout() {
        return FetchError::Request(format!("{url}: timed out"));
    }
    FetchError::Request(format!("{url}: {error}"))
}

/// A response's final address, content type (lower case) and body up to the cap.
struct Body {
    url: Url,
    kind: Option<String>,
    body: Vec<u8>,
    truncated: bool,
}

/// The body up to `max_bytes`, read chunk by chunk so a huge page costs no more than the cap.
async fn read_capped(
    mut response: reqwest::Response,
    max_bytes: usize,
) -> Result<(Vec<u8>, bool), FetchError> {
    let mut bytes: Vec<u8> = Vec::new();
    let mut truncated = false;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| FetchError::Request(error.to_string()))?
    {
        let room = max_bytes.saturating_sub(bytes.len());
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            truncated = true;
            break;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((bytes, truncated))
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}
