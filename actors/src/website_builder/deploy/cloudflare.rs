//! Cloudflare Pages direct upload, the way `wrangler pages deploy` does it: make sure the
//! project exists, get an upload JWT, ask which file hashes Cloudflare lacks, upload those,
//! then create a deployment whose `manifest` maps every path to its hash, and wait (up to
//! `wait_ms`) for it to go live. The `/pages/assets/*`
//! calls are what wrangler uses but are not in Cloudflare's public API reference, so they are
//! kept together here; the API token is sent only to the `/accounts/…` calls, the JWT only to
//! the asset calls.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::media::{content_type, extension};
use super::{SiteFile, excerpt};

mod settings;
mod stage;
pub use settings::CloudflareSettings;
use stage::DeploymentState;

/// Wrangler's per-file limit.
pub const MAX_FILE_BYTES: usize = 25 * 1024 * 1024;
/// Base64 bytes per upload request (wrangler keeps buckets under 50 MiB).
const MAX_BUCKET_BYTES: usize = 40 * 1024 * 1024;
const MAX_BUCKET_FILES: usize = 2_000;

#[derive(Debug, thiserror::Error)]
pub enum CloudflareError {
    #[error("the HTTP client could not be built: {0}")]
    Client(#[source] reqwest::Error),
    #[error("Cloudflare {step}: request failed: {source}")]
    Transport {
        step: &'static str,
        #[source]
        source: reqwest::Error,
    },
    #[error("Cloudflare {step}: HTTP {status}: {detail}")]
    Api {
        step: &'static str,
        status: u16,
        detail: String,
    },
    #[error("Cloudflare {step}: unexpected answer: {detail}")]
    Decode { step: &'static str, detail: String },
    #[error("`{path}` is {size_bytes} bytes, over Cloudflare Pages' 25 MiB per file")]
    TooLarge { path: String, size_bytes: usize },
    #[error("Cloudflare deployment {id} failed at {stage}")]
    Failed { id: String, stage: String },
}

/// What a deployment did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deployment {
    pub project: String,
    pub id: String,
    /// `https://<short_id>.<project>.pages.dev`, when Cloudflare names it.
    pub url: Option<String>,
    pub files: usize,
    /// Files Cloudflare did not have yet.
    pub uploaded: usize,
    /// Whether the deployment went live within `wait_ms`; if not, `stage` says where it was.
    pub live: bool,
    /// The latest stage seen, `deploy: success` once live.
    pub stage: String,
}

/// The asset hash wrangler computes: the first 32 hex digits of BLAKE3 over the file's base64
/// followed by its extension (without the dot).
pub fn asset_hash(path: &str, bytes: &[u8]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(STANDARD.encode(bytes).as_bytes());
    hasher.update(extension(path).as_bytes());
    let hex = hasher.finalize().to_hex();
    hex.as_str()[..32].to_owned()
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    success: bool,
    #[serde(default)]
    errors: Vec<Value>,
    #[serde(default)]
    result: Value,
}

#[derive(Deserialize)]
struct UploadToken {
    jwt: String,
}

#[derive(Deserialize)]
/// Who a call authenticates as.
#[derive(Clone, Copy)]
enum Auth<'a> {
    ApiToken,
    Jwt(&'a str),
}

/// A client for one Cloudflare account.
#[derive(Debug, Clone)]
pub struct PagesClient {
    http: reqwest::Client,
    settings: CloudflareSettings,
}

impl PagesClient {
    pub fn new(settings: CloudflareSettings) -> Result<PagesClient, CloudflareError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(settings.timeout_ms.max(1)))
            .build()
            .map_err(CloudflareError::Client)?;
        Ok(PagesClient { http, settings })
    }

    /// Deploys `files` as the production deployment of `project`, uploading only what
    /// Cloudflare lacks.
    pub async fn deploy(
        &self,
        project: &str,
        files: &[SiteFile],
    ) -> Result<Deployment, CloudflareError> {
        let mut manifest = BTreeMap::new();
        let mut by_hash: BTreeMap<String, &SiteFile> = BTreeMap::new();
        for file in files {
            if file.bytes.len() > MAX_FILE_BYTES {
                return Err(CloudflareError::TooLarge {
                    path: file.path.clone(),
                    size_bytes: file.bytes.len(),
                });
            }
            let hash = asset_hash(&file.path, &file.bytes);
            manifest.insert(format!("/{}", file.path), hash.clone());
            by_hash.insert(hash, file);
        }
        self.ensure_project(project).await?;
        let mut jwt = self.upload_token(project).await?;
        let hashes: Vec<&String> = by_hash.keys().collect();
        let check = json!({ "hashes": hashes });
        let missing: Vec<String> = match self.check_missing(&jwt, &check).await {
            Err(CloudflareError::Api { status: 401, .. }) => {
                // The JWT is short-lived: one fresh token, then give up.
                jwt = self.upload_token(project).await?;
                self.check_missing(&jwt, &check).await?
            }
            other => other?,
        };
        let mut uploaded = 0;
        for bucket in buckets(&missing, &by_hash) {
            let payload: Vec<Value> = bucket
                .iter()
                .map(|(hash, file)| {
                    let media = content_type(&file.path);
                    let media = media.split(';').next().unwrap_or(media);
                    json!({
                        "key": hash,
                        "value": STANDARD.encode(&file.bytes),
                        "metadata": { "contentType": media },
                        "base64": true,
                    })
                })
                .collect();
            let body = Value::Array(payload);
            match self.upload(&jwt, &body).await {
                Err(CloudflareError::Api { status: 401, .. }) => {
                    jwt = self.upload_token(project).await?;
                    self.upload(&jwt, &body).await?;
                }
                other => other?,
            }
            uploaded += bucket.len();
        }
        let all = json!({ "hashes": hashes });
        if let Err(error) = self
            .call::<Value>(
                "upsert hashes",
                Method::POST,
                "/pages/assets/upsert-hashes",
                Auth::Jwt(&jwt),
                |r| r.json(&all),
            )
            .await
        {
            // Only makes the next deploy upload more; the deployment below still works.
            tracing::warn!(%error, project, "Cloudflare did not record the uploaded hashes");
        }
        let manifest_json =
            serde_json::to_string(&manifest).map_err(|error| CloudflareError::Decode {
                step: "manifest",
                detail: error.to_string(),
            })?;
        let form = reqwest::multipart::Form::new()
            .text("manifest", manifest_json)
            .text("branch", self.settings.branch.clone());
        let path = format!(
            "/accounts/{}/pages/projects/{project}/deployments",
            self.settings.account_id
        );
        let created: DeploymentState = self
            .call(
                "create deployment",
                Method::POST,
                &path,
                Auth::ApiToken,
                |r| r.multipart(form),
            )
            .await?;
        let (state, live) = self.wait_until_live(&path, created).await?;
        Ok(Deployment {
            project: project.to_owned(),
            id: state.id,
            url: state.url,
            files: manifest.len(),
            uploaded,
            live,
            stage: state
                .latest_stage
                .map(|stage| format!("{}: {}", stage.name, stage.status))
                .unwrap_or_default(),
        })
    }

    async fn ensure_project(&self, project: &str) -> Result<(), CloudflareError> {
        let path = format!(
            "/accounts/{}/pages/projects/{project}",
            self.settings.account_id
        );
        match self
            .call::<Value>("read project", Method::GET, &path, Auth::ApiToken, |r| r)
            .await
        {
            Err(CloudflareError::Api { status: 404, .. }) => {
                let body = json!({ "name": project, "production_branch": self.settings.branch });
                let create = format!("/accounts/{}/pages/projects", self.settings.account_id);
                self.call::<Value>(
                    "create project",
                    Method::POST,
                    &create,
                    Auth::ApiToken,
                    |r| r.json(&body),
                )
                .await
                .map(drop)
            }
            other => other.map(drop),
        }
    }

    async fn upload_token(&self, project: &str) -> Result<String, CloudflareError> {
        let path = format!(
            "/accounts/{}/pages/projects/{project}/upload-token",
            self.settings.account_id
        );
        let token: UploadToken = self
            .call("upload token", Method::GET, &path, Auth::ApiToken, |r| r)
            .await?;
        Ok(token.jwt)
    }

    async fn check_missing(&self, jwt: &str, body: &Value) -> Result<Vec<String>, CloudflareError> {
        self.call(
            "check missing",
            Method::POST,
            "/pages/assets/check-missing",
            Auth::Jwt(jwt),
            |r| r.json(body),
        )
        .await
    }

    async fn upload(&self, jwt: &str, body: &Value) -> Result<(), CloudflareError> {
        self.call::<Value>(
            "upload",
            Method::POST,
            "/pages/assets/upload",
            Auth::Jwt(jwt),
            |r| r.json(body),
        )
        .await
        .map(drop)
    }

    /// One v4 call: sends, checks the status and the envelope's `success`, decodes `result`.
    async fn call<T: DeserializeOwned>(
        &self,
        step: &'static str,
        method: Method,
        path: &str,
        auth: Auth<'_>,
        build: impl FnOnce(RequestBuilder) -> RequestBuilder,
    ) -> Result<T, CloudflareError> {
        let url = format!("{}{path}", self.settings.api_url.trim_end_matches('/'));
        let token = match auth {
            Auth::ApiToken => self.settings.api_token.as_str(),
            Auth::Jwt(jwt) => jwt,
        };
        let request = build(self.http.request(method, url).bearer_auth(token));
        let response = request
            .send()
            .await
            .map_err(|source| CloudflareError::Transport { step, source })?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|source| CloudflareError::Transport { step, source })?;
        let envelope: Option<Envelope> = serde_json::from_str(&text).ok();
        let failed = !status.is_success() || envelope.as_ref().is_none_or(|e| !e.success);
        if failed {
            let detail = match &envelope {
                Some(envelope) if !envelope.errors.is_empty() => {
                    Value::Array(envelope.errors.clone()).to_string()
                }
                _ => text.clone(),
            };
            let status = if status == StatusCode::OK {
                // `success: false` on a 200: treat as a refusal all the same.
                422
            } else {
                status.as_u16()
            };
            return Err(CloudflareError::Api {
                step,
                status,
                detail: excerpt(&detail, &self.settings.api_token),
            });
        }
        let result = envelope.map(|e| e.result).unwrap_or_default();
        serde_json::from_value(result).map_err(|error| CloudflareError::Decode {
            step,
            detail: error.to_string(),
        })
    }
}

/// The missing files in upload-sized groups.
fn buckets<'a>(
    missing: &[String],
    by_hash: &BTreeMap<String, &'a SiteFile>,
) -> Vec<Vec<(String, &'a SiteFile)>> {
    let mut buckets = Vec::new();
    let mut current: Vec<(String, &SiteFile)> = Vec::new();
    let mut size = 0;
    for hash in missing {
        let Some(file) = by_hash.get(hash) else {
            continue;
        };
        let encoded = file.bytes.len().div_ceil(3) * 4;
        if !current.is_empty()
            && (size + encoded > MAX_BUCKET_BYTES || current.len() >= MAX_BUCKET_FILES)
        {
            buckets.push(std::mem::take(&mut current));
            size = 0;
        }
        size += encoded;
        current.push((hash.clone(), *file));
    }
    if !current.is_empty() {
        buckets.push(current);
    }
    buckets
}

#[cfg(test)]
mod tests;
