//! Builds kept on disk and published atomically: `<root>/<slug>/builds/<build_id>/` holds
//! each build, `<root>/<slug>/current` is a symlink to the published one, replaced by
//! renaming a new symlink over it, so a reader sees the old site or the new, never half.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::manifest::BuildManifest;
use super::validate::is_segment;
use super::{BuildError, SiteSpec, build_with};

/// Builds kept when the store is not told otherwise.
pub const DEFAULT_KEEP_BUILDS: usize = 5;

/// A build's name. Ids sort in the order builds were made (a UUIDv7, a zero-padded
/// counter, a compact UTC timestamp); retention keeps the greatest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct BuildId(String);

impl BuildId {
    pub fn parse(id: &str) -> Result<Self, PublishError> {
        let ok = (1..=64).contains(&id.len())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(Self(id.to_owned()))
        } else {
            Err(PublishError::InvalidBuildId(id.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("`{0}` is not a site slug")]
    InvalidSlug(String),
    #[error("`{0}` is not a build id (1-64 of A-Z a-z 0-9 - _)")]
    InvalidBuildId(String),
    #[error("build `{0}` already exists")]
    BuildExists(String),
    #[error("no kept build `{0}`")]
    UnknownBuild(String),
    #[error("build `{build}` no longer matches its manifest at `{path}`")]
    Corrupt { build: String, path: String },
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("manifest could not be read or written")]
    Manifest(#[source] serde_json::Error),
    #[error("I/O error at {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> PublishError + use<> {
    let path = path.to_path_buf();
    move |source| PublishError::Io { path, source }
}

/// Every site's builds under one root folder.
#[derive(Debug, Clone)]
pub struct SiteStore {
    root: PathBuf,
    keep_builds: usize,
}

impl SiteStore {
    /// `keep_builds` below 1 is taken as 1: the published build is always kept.
    pub fn new(root: impl Into<PathBuf>, keep_builds: usize) -> Self {
        Self {
            root: root.into(),
            keep_builds: keep_builds.max(1),
        }
    }

    fn site_dir(&self, slug: &str) -> Result<PathBuf, PublishError> {
        if is_segment(slug) {
            Ok(self.root.join(slug))
        } else {
            Err(PublishError::InvalidSlug(slug.to_owned()))
        }
    }

    /// The folder a web server serves for the site (a symlink to the published build).
    pub fn current_dir(&self, slug: &str) -> Result<PathBuf, PublishError> {
        Ok(self.site_dir(slug)?.join("current"))
    }

    pub fn build_dir(&self, slug: &str, id: &BuildId) -> Result<PathBuf, PublishError> {
        Ok(self.site_dir(slug)?.join("builds").join(id.as_str()))
    }

    /// Deletes every build of the site, published or not; a site with no files is fine.
    pub fn remove_site(&self, slug: &str) -> Result<(), PublishError> {
        let dir = self.site_dir(slug)?;
        match fs::remove_dir_all(&dir) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(io_at(&dir)(error)),
            _ => Ok(()),
        }
    }

    fn manifest_path(&self, slug: &str, id: &BuildId) -> Result<PathBuf, PublishError> {
        Ok(self
            .site_dir(slug)?
            .join("manifests")
            .join(format!("{}.json", id.as_str())))
    }

    /// Builds the site as build `id`. It is written under a temporary name and renamed into
    /// place, so a kept build is always complete. Nothing is published.
    pub fn build(&self, spec: &SiteSpec, id: &BuildId) -> Result<BuildManifest, PublishError> {
        self.build_with(spec, &BTreeMap::new(), id)
    }

    /// [`SiteStore::build`] with files beyond the rendered ones (see [`build_with`]).
    pub fn build_with(
        &self,
        spec: &SiteSpec,
        extra: &BTreeMap<String, Vec<u8>>,
        id: &BuildId,
    ) -> Result<BuildManifest, PublishError> {
        let dir = self.build_dir(&spec.slug, id)?;
        if dir.exists() {
            return Err(PublishError::BuildExists(id.as_str().to_owned()));
        }
        let partial = dir.with_extension("partial");
        if partial.exists() {
            fs::remove_dir_all(&partial).map_err(io_at(&partial))?;
        }
        let manifest = build_with(spec, extra, &partial)?;
        let manifest_path = self.manifest_path(&spec.slug, id)?;
        if let Some(parent) = manifest_path.parent() {
            fs::create_dir_all(parent).map_err(io_at(parent))?;
        }
        let json = serde_json::to_vec_pretty(&manifest).map_err(PublishError::Manifest)?;
        fs::write(&manifest_path, json).map_err(io_at(&manifest_path))?;
        fs::rename(&partial, &dir).map_err(io_at(&dir))?;
        Ok(manifest)
    }

    /// The manifest a kept build was written with.
    pub fn manifest(&self, slug: &str, id: &BuildId) -> Result<BuildManifest, PublishError> {
        let path = self.manifest_path(slug, id)?;
        if !self.build_dir(slug, id)?.is_dir() || !path.is_file() {
            return Err(PublishError::UnknownBuild(id.as_str().to_owned()));
        }
        let bytes = fs::read(&path).map_err(io_at(&path))?;
        serde_json::from_slice(&bytes).map_err(PublishError::Manifest)
    }

    /// Kept builds, oldest first (partial builds are not listed).
    pub fn builds(&self, slug: &str) -> Result<Vec<BuildId>, PublishError> {
        let dir = self.site_dir(slug)?.join("builds");
        if !dir.exists() {
            return Ok(Vec::new());
        }
        let mut ids = Vec::new();
        for entry in fs::read_dir(&dir).map_err(io_at(&dir))? {
            let entry = entry.map_err(io_at(&dir))?;
            let name = entry.file_name();
            if let Some(id) = name.to_str().and_then(|n| BuildId::parse(n).ok())
                && entry.path().is_dir()
            {
                ids.push(id);
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// The published build, if any.
    pub fn current(&self, slug: &str) -> Result<Option<BuildId>, PublishError> {
        let link = self.current_dir(slug)?;
        match fs::read_link(&link) {
            Ok(target) => Ok(target
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| BuildId::parse(n).ok())),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(io_at(&link)(err)),
        }
    }

    /// Makes build `id` the published one in one atomic rename, then drops builds beyond
    /// the newest `keep_builds` (never the published one). Returns the dropped ids.
    pub fn publish(&self, slug: &str, id: &BuildId) -> Result<Vec<BuildId>, PublishError> {
        self.manifest(slug, id)?;
        let site = self.site_dir(slug)?;
        let next = site.join("current.next");
        if fs::symlink_metadata(&next).is_ok() {
            fs::remove_file(&next).map_err(io_at(&next))?;
        }
        // Relative, so the whole root can move without breaking the link.
        let target = Path::new("builds").join(id.as_str());
        std::os::unix::fs::symlink(&target, &next).map_err(io_at(&next))?;
        let current = site.join("current");
        fs::rename(&next, &current).map_err(io_at(&current))?;
        self.prune(slug)
    }

    /// Republishes a kept build after checking every file still matches its manifest, so
    /// what goes live is byte for byte what was built.
    pub fn rollback(&self, slug: &str, id: &BuildId) -> Result<BuildManifest, PublishError> {
        let expected = self.manifest(slug, id)?;
        let dir = self.build_dir(slug, id)?;
        let found = BuildManifest::of_dir(&dir)
            .map_err(|(path, source)| PublishError::Io { path, source })?;
        if found != expected {
            let path = first_difference(&expected, &found);
            return Err(PublishError::Corrupt {
                build: id.as_str().to_owned(),
                path,
            });
        }
        self.publish(slug, id)?;
        Ok(expected)
    }

    /// Deletes builds (and their manifests) beyond the newest `keep_builds`, keeping the
    /// published one whatever its age.
    pub fn prune(&self, slug: &str) -> Result<Vec<BuildId>, PublishError> {
        let current = self.current(slug)?;
        let builds = self.builds(slug)?;
        let excess = builds.len().saturating_sub(self.keep_builds);
        let mut dropped = Vec::new();
        for id in builds.into_iter().take(excess) {
            if Some(&id) == current.as_ref() {
                continue;
            }
            let dir = self.build_dir(slug, &id)?;
            fs::remove_dir_all(&dir).map_err(io_at(&dir))?;
            let manifest = self.manifest_path(slug, &id)?;
            if manifest.exists() {
                fs::remove_file(&manifest).map_err(io_at(&manifest))?;
            }
            dropped.push(id);
        }
        Ok(dropped)
    }

    /// Every file of kept build `id`, by `/`-separated path, checked against its manifest so
    /// what is read is exactly what was built.
    pub fn read_files(
        &self,
        slug: &str,
        id: &BuildId,
    ) -> Result<BTreeMap<String, Vec<u8>>, PublishError> {
        let expected = self.manifest(slug, id)?;
        let root = self.build_dir(slug, id)?;
        let mut files = BTreeMap::new();
        let mut pending = vec![root.clone()];
        while let Some(dir) = pending.pop() {
            for entry in fs::read_dir(&dir).map_err(io_at(&dir))? {
                let path = entry.map_err(io_at(&dir))?.path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let bytes = fs::read(&path).map_err(io_at(&path))?;
                let relative = path
                    .strip_prefix(&root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(relative, bytes);
            }
        }
        let found = BuildManifest {
            files: files
                .iter()
                .map(|(path, bytes)| BuildManifest::entry(path.clone(), bytes))
                .collect(),
        };
        if found != expected {
            return Err(PublishError::Corrupt {
                build: id.as_str().to_owned(),
                path: first_difference(&expected, &found),
            });
        }
        Ok(files)
    }

    /// Stores `files` (by `/`-separated relative path) as a new build `id`, like [`Self::build`]:
    /// written under a temporary name with its manifest, then renamed into place. A path that
    /// is absolute or leaves the build folder is refused.
    pub fn store_files(
        &self,
        slug: &str,
        id: &BuildId,
        files: &BTreeMap<String, Vec<u8>>,
    ) -> Result<BuildManifest, PublishError> {
        let dir = self.build_dir(slug, id)?;
        if dir.exists() {
            return Err(PublishError::BuildExists(id.as_str().to_owned()));
        }
        let partial = dir.with_extension("partial");
        if partial.exists() {
            fs::remove_dir_all(&partial).map_err(io_at(&partial))?;
        }
        fs::create_dir_all(&partial).map_err(io_at(&partial))?;
        let mut manifest = Vec::with_capacity(files.len());
        for (path, bytes) in files {
            let safe = !path.is_empty()
                && path.split('/').all(|part| {
                    !part.is_empty() && part != "." && part != ".." && !part.contains('\\')
                });
            if !safe {
                let source =
                    io::Error::new(io::ErrorKind::InvalidInput, "not a relative file path");
                return Err(io_at(Path::new(path))(source));
            }
            let target = partial.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_at(parent))?;
            }
            fs::write(&target, bytes).map_err(io_at(&target))?;
            manifest.push(BuildManifest::entry(path.clone(), bytes));
        }
        let manifest = BuildManifest { files: manifest };
        let manifest_path = self.manifest_path(slug, id)?;
        if let Some(parent) = manifest_path.parent() {
            fs::create_dir_all(parent).map_err(io_at(parent))?;
        }
        let json = serde_json::to_vec_pretty(&manifest).map_err(PublishError::Manifest)?;
        fs::write(&manifest_path, json).map_err(io_at(&manifest_path))?;
        fs::rename(&partial, &dir).map_err(io_at(&dir))?;
        Ok(manifest)
    }
}

fn first_difference(expected: &BuildManifest, found: &BuildManifest) -> String {
    let differs = expected
        .files
        .iter()
        .zip(found.files.iter())
        .find(|(a, b)| a != b)
        .map(|(a, _)| a.path.clone());
    differs.unwrap_or_else(|| "(file list)".to_owned())
}

/// Copies a build to `target` for any web server: into a hidden sibling first, then renamed
/// into place. A fresh target appears whole in one rename; an existing one is moved aside
/// and replaced by two renames in a row, then the old copy is deleted.
pub fn deploy_to_dir(build_dir: &Path, target: &Path) -> Result<(), PublishError> {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| PublishError::InvalidSlug(target.display().to_string()))?;
    let parent = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io_at(parent))?;
    let incoming = parent.join(format!(".{name}.incoming"));
    let previous = parent.join(format!(".{name}.previous"));
    for stale in [&incoming, &previous] {
        if stale.exists() {
            fs::remove_dir_all(stale).map_err(io_at(stale))?;
        }
    }
    copy_tree(build_dir, &incoming)?;
    if target.exists() {
        fs::rename(target, &previous).map_err(io_at(target))?;
        fs::rename(&incoming, target).map_err(io_at(target))?;
        fs::remove_dir_all(&previous).map_err(io_at(&previous))?;
    } else {
        fs::rename(&incoming, target).map_err(io_at(target))?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), PublishError> {
    fs::create_dir_all(to).map_err(io_at(to))?;
    for entry in fs::read_dir(from).map_err(io_at(from))? {
        let entry = entry.map_err(io_at(from))?;
        let source = entry.path();
        let dest = to.join(entry.file_name());
        if entry.file_type().map_err(io_at(&source))?.is_dir() {
            copy_tree(&source, &dest)?;
        } else {
            fs::copy(&source, &dest).map_err(io_at(&source))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
