//! Where a published build goes besides the front door's `/sites/{slug}/`: Cloudflare Pages by
//! direct upload, and the IndexNow ping that tells search engines what changed. (A plain
//! directory for any web server is `site::publish::deploy_to_dir`.)

pub mod cloudflare;
pub mod indexnow;
pub mod media;

use std::fs;
use std::path::Path;

use super::site::BuildManifest;

/// One file of a build, read for upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// `/`-separated, relative to the build's root.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Reads every file a manifest lists from the build folder `dir`.
pub fn read_build(dir: &Path, manifest: &BuildManifest) -> std::io::Result<Vec<SiteFile>> {
    manifest
        .files
        .iter()
        .map(|file| {
            let bytes = fs::read(dir.join(&file.path))?;
            Ok(SiteFile {
                path: file.path.clone(),
                bytes,
            })
        })
        .collect()
}

/// A response body cut to a loggable size, with the credential never in it.
fn excerpt(body: &str, secret: &str) -> String {
    let mut text: String = body.chars().take(500).collect();
    if !secret.is_empty() {
        text = text.replace(secret, "[redacted]");
    }
    text
}
