//! Static websites from a [`SiteSpec`]: themed pages, sitemap, robots.txt, RSS, JSON-LD and
//! hashed assets ([`build`]), and builds kept on disk with atomic publish and rollback
//! ([`publish`]).

mod assets;
mod build;
mod context;
mod feeds;
pub mod front_matter;
mod graph;
mod html;
pub mod images;
mod jsonld;
mod manifest;
mod paths;
pub mod publish;
mod render;
mod sanitize;
mod spec;
mod text;
mod theme;
mod validate;

use std::path::PathBuf;

pub use assets::{BEACON_JS, hashed_path as hashed_asset_path, sha256_hex};
pub use build::{build, build_with, render_site};
pub use feeds::{MAX_URLS_PER_SITEMAP, SitemapUrl, sitemaps};
pub use jsonld::AI_SOURCE_TYPE;
pub use manifest::{BuildManifest, ManifestFile};
pub use paths::page_path;
pub use sanitize::{Pictures, SPONSORED_REL, Sanitizer};
pub use spec::{
    FaqEntry, Language, LegalSettings, PageKind, PageSpec, ProductFact, SiteSpec, Translation,
    UnknownName,
};
pub use theme::{FUEL_PER_PAGE, Theme};
pub use validate::validate;

use crate::kinds::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("invalid site spec")]
    Invalid(Vec<FieldError>),
    #[error("template failed for page `{page}`")]
    Template {
        page: String,
        #[source]
        source: minijinja::Error,
    },
    #[error("structured data could not be serialised")]
    Json(#[source] serde_json::Error),
    #[error("output folder {0} is not empty")]
    OutDirNotEmpty(PathBuf),
    #[error("I/O error at {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

#[cfg(test)]
pub(crate) mod tests;
