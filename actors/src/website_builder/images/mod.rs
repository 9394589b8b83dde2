//! Localising a site's pictures for a build: each address is fetched through the guarded
//! fetcher, scaled down and re-encoded as lossy WebP ([`convert`]), and cached beside the builds
//! under a key of the address and the settings, so later builds (of any site) reuse it. The
//! build serves the copy under a content-hashed name; a picture that cannot be fetched or read
//! is left out of the build, with a warning naming it.

pub mod convert;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::services::Services;
use crate::website_builder::site::images::{Images, LocalImage, file_stem};
use crate::website_builder::site::{hashed_asset_path, sha256_hex};
use convert::Converted;

/// Pictures fetched and converted at once per build.
const CONCURRENCY: usize = 4;

/// `[sites.images]`: how pictures are prepared for the sites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImageSettings {
    /// Pictures wider than this many pixels are scaled down to it.
    pub max_width: u32,
    /// Lossy WebP quality, 1 (smallest) to 100 (best).
    pub quality: u8,
    /// A source picture larger than this many bytes is not used.
    pub max_source_bytes: usize,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            max_width: 1200,
            quality: 80,
            max_source_bytes: 10 * 1024 * 1024,
        }
    }
}

impl ImageSettings {
    /// `(setting, reason)` for the first bad setting.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if !(16..=convert::MAX_SIDE).contains(&self.max_width) {
            return Err((
                "sites.images.max_width",
                format!("must be 16 to {}", convert::MAX_SIDE),
            ));
        }
        if !(1..=100).contains(&self.quality) {
            return Err(("sites.images.quality", "must be 1 to 100".into()));
        }
        if self.max_source_bytes == 0 {
            return Err(("sites.images.max_source_bytes", "must be above 0".into()));
        }
        Ok(())
    }
}

/// A build's pictures: where each source is served from, and the files to add to the build.
#[derive(Debug, Default)]
pub struct Localised {
    pub images: Images,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Localises every source; those that fail are left out (and logged).
pub async fn localise(services: &Services, sources: &BTreeSet<String>) -> Localised {
    let settings = services.sites.settings.images.clone();
    let cache = services.sites.image_cache_dir.clone();
    let results: Vec<(String, Result<Converted, String>)> =
        futures::stream::iter(sources.iter().cloned())
            .map(|source| {
                let cache = cache.clone();
                let settings = settings.clone();
                async move {
                    let result = one(services, &cache, &settings, &source).await;
                    (source, result)
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
    let mut localised = Localised::default();
    for (source, result) in results {
        match result {
            Ok(converted) => {
                let path = hashed_asset_path(&file_stem(&source), "webp", &converted.bytes);
                localised.images.insert(
                    source,
                    LocalImage {
                        path: path.clone(),
                        width: converted.width,
                        height: converted.height,
                    },
                );
                localised.files.insert(path, converted.bytes);
            }
            Err(reason) => tracing::warn!(source, reason, "picture left out of the build"),
        }
    }
    localised
}

/// One picture, from the cache or fetched and converted (then cached).
async fn one(
    services: &Services,
    cache: &Path,
    settings: &ImageSettings,
    source: &str,
) -> Result<Converted, String> {
    let cached = cache_path(cache, settings, source);
    if let Ok(bytes) = tokio::fs::read(&cached).await
        && let Ok((width, height)) = convert::dimensions(&bytes)
    {
        return Ok(Converted {
            bytes,
            width,
            height,
        });
    }
    let url = Url::parse(source).map_err(|error| error.to_string())?;
    let original = services
        .web
        .image(&url, settings.max_source_bytes)
        .await
        .map_err(|error| error.to_string())?;
    let (max_width, quality) = (settings.max_width, settings.quality);
    let converted =
        tokio::task::spawn_blocking(move || convert::to_webp(&original, max_width, quality))
            .await
            .map_err(|error| format!("conversion thread: {error}"))?
            .map_err(|error| error.to_string())?;
    if let Err(error) = store(&cached, &converted.bytes).await {
        tracing::warn!(path = %cached.display(), %error, "picture not cached");
    }
    Ok(converted)
}

/// `<cache>/<hash of the source and the settings>.webp`: other settings make another copy.
fn cache_path(cache: &Path, settings: &ImageSettings, source: &str) -> PathBuf {
    let key =
        sha256_hex(format!("{source}\n{}\n{}", settings.max_width, settings.quality).as_bytes());
    cache.join(format!("{}.webp", &key[..32]))
}

/// Written under a temporary name and renamed, so a reader never sees half a file.
async fn store(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let partial = path.with_extension(format!("partial-{}", rand::random::<u64>()));
    tokio::fs::write(&partial, bytes).await?;
    let renamed = tokio::fs::rename(&partial, path).await;
    if renamed.is_err() {
        let _ = tokio::fs::remove_file(&partial).await;
    }
    renamed
}
