//! The record of a build: every file with its size and SHA-256, sorted by path.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::assets::sha256_hex;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildManifest {
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// `/`-separated, relative to the build's root.
    pub path: String,
    pub size_bytes: u64,
    pub sha256: String,
}

impl BuildManifest {
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size_bytes).sum()
    }

    pub fn entry(path: String, bytes: &[u8]) -> ManifestFile {
        ManifestFile {
            path,
            size_bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }

    /// Reads a directory tree back into a manifest, to check a build on disk against the one
    /// it was written with.
    pub fn of_dir(root: &Path) -> Result<Self, (PathBuf, std::io::Error)> {
        let mut files = Vec::new();
        let mut pending = vec![root.to_path_buf()];
        while let Some(dir) = pending.pop() {
            let entries = fs::read_dir(&dir).map_err(|e| (dir.clone(), e))?;
            for entry in entries {
                let entry = entry.map_err(|e| (dir.clone(), e))?;
                let path = entry.path();
                let kind = entry.file_type().map_err(|e| (path.clone(), e))?;
                if kind.is_dir() {
                    pending.push(path);
                } else {
                    let bytes = fs::read(&path).map_err(|e| (path.clone(), e))?;
                    let relative = path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    files.push(Self::entry(relative, &bytes));
                }
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Self { files })
    }
}
