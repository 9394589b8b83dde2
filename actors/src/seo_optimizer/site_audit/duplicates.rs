//! Near-duplicate content across all websites: word shingles of normalised text, MinHash
//! signatures with deterministic seeds, and LSH banding to find candidate pairs without comparing
//! every page with every other.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::model::{PageId, WebsiteId};
use crate::intelligence::nlp;

/// How signatures are made and when two pages count as near-duplicates. Signatures made with
/// different `shingle_words` or `hashes` cannot be compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DuplicateConfig {
    /// Words per shingle.
    pub shingle_words: usize,
    /// MinHash values per signature.
    pub hashes: usize,
    /// Signature values per LSH band; `hashes` must be a multiple. Fewer rows find more
    /// candidates (with 128 hashes and 4 rows, pairs at 0.8 similarity are found with
    /// probability 1 − (1 − 0.8⁴)³² ≈ 0.99999995).
    pub rows_per_band: usize,
    /// Estimated Jaccard similarity from which a pair is reported.
    pub threshold: f64,
}

impl Default for DuplicateConfig {
    fn default() -> Self {
        DuplicateConfig {
            shingle_words: 5,
            hashes: 128,
            rows_per_band: 4,
            threshold: 0.8,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DuplicateError {
    #[error("invalid duplicate config: {0}")]
    InvalidConfig(&'static str),
    #[error("signature has {got} values, the index expects {expected}")]
    SignatureLength { expected: usize, got: usize },
}

/// A page's MinHash signature: store it, and insert it into a [`DuplicateIndex`] later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub values: Vec<u32>,
    /// Shingles the text had; a signature of no shingles matches nothing.
    pub shingles: u32,
}

impl Signature {
    /// The share of equal values: an estimate of the Jaccard similarity of the shingle sets.
    pub fn similarity(&self, other: &Signature) -> f64 {
        if self.shingles == 0 || other.shingles == 0 || self.values.len() != other.values.len() {
            return 0.0;
        }
        let equal = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        equal as f64 / self.values.len() as f64
    }
}

/// A page of some website, as the index knows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocKey {
    pub website: WebsiteId,
    pub page: PageId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateMatch {
    pub key: DocKey,
    pub similarity: f64,
}

/// Multiply-shift hash functions `(a·x + b) >> 32`, seeded deterministically.
#[derive(Debug, Clone, PartialEq)]
struct Hashers {
    a: Vec<u64>,
    b: Vec<u64>,
}

impl Hashers {
    fn new(count: usize) -> Hashers {
        let mut state = 0x5EED_0FE3_9112_u64;
        let mut next = || splitmix64(&mut state);
        let mut a = Vec::with_capacity(count);
        let mut b = Vec::with_capacity(count);
        for _ in 0..count {
            a.push(next() | 1);
            b.push(next());
        }
        Hashers { a, b }
    }
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, then a splitmix finaliser so similar shingles spread over all 64 bits.
fn hash_words(words: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for word in words {
        for byte in word.bytes().chain([0x1F]) {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    splitmix64(&mut h)
}

/// Pages from any number of websites, searchable for near-duplicates of a new page.
#[derive(Debug, Clone)]
pub struct DuplicateIndex {
    config: DuplicateConfig,
    hashers: Hashers,
    docs: HashMap<DocKey, Signature>,
    bands: Vec<HashMap<u64, Vec<DocKey>>>,
}

impl DuplicateIndex {
    pub fn new(config: DuplicateConfig) -> Result<Self, DuplicateError> {
        if config.shingle_words == 0 || config.hashes == 0 || config.rows_per_band == 0 {
            return Err(DuplicateError::InvalidConfig(
                "shingle_words, hashes and rows_per_band must be positive",
            ));
        }
        if !config.hashes.is_multiple_of(config.rows_per_band) {
            return Err(DuplicateError::InvalidConfig(
                "hashes must be a multiple of rows_per_band",
            ));
        }
        if !(0.0..=1.0).contains(&config.threshold) {
            return Err(DuplicateError::InvalidConfig(
                "threshold must be within 0..=1",
            ));
        }
        let bands = config.hashes / config.rows_per_band;
        Ok(DuplicateIndex {
            hashers: Hashers::new(config.hashes),
            config,
            docs: HashMap::new(),
            bands: vec![HashMap::new(); bands],
        })
    }

    pub fn config(&self) -> &DuplicateConfig {
        &self.config
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The signature of `text`: lower-cased words (`nlp::words`), shingled, MinHashed. A text
    /// shorter than one shingle is one shingle.
    pub fn signature(&self, text: &str) -> Signature {
        let words = nlp::words(text);
        let k = self.config.shingle_words;
        let mut values = vec![u32::MAX; self.config.hashes];
        if words.is_empty() {
            return Signature {
                values,
                shingles: 0,
            };
        }
        let windows: Vec<&[String]> = if words.len() < k {
            vec![&words[..]]
        } else {
            words.windows(k).collect()
        };
        for window in &windows {
            let x = hash_words(window);
            for ((slot, a), b) in values.iter_mut().zip(&self.hashers.a).zip(&self.hashers.b) {
                let h = (a.wrapping_mul(x).wrapping_add(*b) >> 32) as u32;
                *slot = (*slot).min(h);
            }
        }
        Signature {
            values,
            shingles: u32::try_from(windows.len()).unwrap_or(u32::MAX),
        }
    }

    /// Adds a page, replacing what the index held under the same key.
    pub fn insert(&mut self, key: DocKey, signature: Signature) -> Result<(), DuplicateError> {
        self.check_length(&signature)?;
        self.remove(&key);
        if signature.shingles > 0 {
            for (band, bucket) in self.band_keys(&signature).into_iter().enumerate() {
                self.bands[band]
                    .entry(bucket)
                    .or_default()
                    .push(key.clone());
            }
        }
        self.docs.insert(key, signature);
        Ok(())
    }

    pub fn remove(&mut self, key: &DocKey) -> Option<Signature> {
        let old = self.docs.remove(key)?;
        for (band, bucket) in self.band_keys(&old).into_iter().enumerate() {
            if let Some(keys) = self.bands[band].get_mut(&bucket) {
                keys.retain(|k| k != key);
                if keys.is_empty() {
                    self.bands[band].remove(&bucket);
                }
            }
        }
        Some(old)
    }

    /// The indexed pages at least `threshold` similar to `signature`, most similar first;
    /// `exclude` (the page itself, when it is indexed) is never reported.
    pub fn query(
        &self,
        signature: &Signature,
        exclude: Option<&DocKey>,
    ) -> Result<Vec<DuplicateMatch>, DuplicateError> {
        self.check_length(signature)?;
        if signature.shingles == 0 {
            return Ok(Vec::new());
        }
        let mut candidates: Vec<&DocKey> = Vec::new();
        for (band, bucket) in self.band_keys(signature).into_iter().enumerate() {
            if let Some(keys) = self.bands[band].get(&bucket) {
                candidates.extend(keys.iter().filter(|k| Some(*k) != exclude));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut matches: Vec<DuplicateMatch> = candidates
            .into_iter()
            .filter_map(|key| {
                let similarity = self.docs.get(key)?.similarity(signature);
                (similarity >= self.config.threshold).then(|| DuplicateMatch {
                    key: key.clone(),
                    similarity,
                })
            })
            .collect();
        matches.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then(a.key.cmp(&b.key))
        });
        Ok(matches)
    }

    /// Every indexed pair at least `threshold` similar, each once, most similar first.
    pub fn pairs(&self) -> Vec<(DocKey, DocKey, f64)> {
        let mut pairs = Vec::new();
        let mut keys: Vec<&DocKey> = self.docs.keys().collect();
        keys.sort_unstable();
        for key in keys {
            let Some(signature) = self.docs.get(key) else {
                continue;
            };
            for found in self.query(signature, Some(key)).unwrap_or_default() {
                if key < &found.key {
                    pairs.push((key.clone(), found.key, found.similarity));
                }
            }
        }
        pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        pairs
    }

    fn check_length(&self, signature: &Signature) -> Result<(), DuplicateError> {
        if signature.values.len() == self.config.hashes {
            Ok(())
        } else {
            Err(DuplicateError::SignatureLength {
                expected: self.config.hashes,
                got: signature.values.len(),
            })
        }
    }

    fn band_keys(&self, signature: &Signature) -> Vec<u64> {
        signature
            .values
            .chunks(self.config.rows_per_band)
            .map(|band| {
                let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                for value in band {
                    h ^= u64::from(*value);
                    h = h.wrapping_mul(0x0000_0100_0000_01B3);
                    h = h.rotate_left(17);
                }
                h
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
