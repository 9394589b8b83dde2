//! API key format: `mfm_` + 52 base32 characters (32 random bytes) + a 6-character checksum.
//! The checksum rejects a typo without any lookup; only a SHA-256 of the whole key is stored,
//! next to a public lookup prefix.

use chrono::NaiveDateTime;
use empire_schema::hex::hex;
use empire_schema::models::{ApiKey, NewApiKey};
use empire_schema::{Db, StoreResult};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::Permission;

pub const KEY_PREFIX: &str = "mfm_";
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
const BODY_LEN: usize = 52;
const CHECK_LEN: usize = 6;
/// Characters of the body kept in clear as the lookup prefix (60 bits: collisions are negligible).
const LOOKUP_LEN: usize = 12;
pub const KEY_LEN: usize = KEY_PREFIX.len() + BODY_LEN + CHECK_LEN;

/// A freshly generated key: `secret` is shown once, `prefix` and `hash` are stored.
pub struct GeneratedKey {
    pub secret: String,
    pub prefix: String,
    pub hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyFormatError {
    #[error("not an empire API key")]
    NotAKey,
    #[error("API key has the wrong length")]
    Length,
    #[error("API key contains an invalid character")]
    Alphabet,
    #[error("API key checksum does not match (a typo?)")]
    Checksum,
}

pub fn generate() -> GeneratedKey {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    from_bytes(&bytes)
}

/// The key made of these 32 random bytes (`generate` draws them).
pub fn from_bytes(bytes: &[u8; 32]) -> GeneratedKey {
    let body = base32(bytes);
    let secret = format!("{KEY_PREFIX}{body}{}", checksum(&body));
    GeneratedKey {
        prefix: lookup_prefix(&secret),
        hash: hash(&secret),
        secret,
    }
}

/// Checks shape and checksum without touching any store; returns the lookup prefix.
pub fn parse(key: &str) -> Result<String, KeyFormatError> {
    let rest = key
        .strip_prefix(KEY_PREFIX)
        .ok_or(KeyFormatError::NotAKey)?;
    if key.len() != KEY_LEN {
        return Err(KeyFormatError::Length);
    }
    // A range check per byte: searching `ALPHABET` for each was 2 % of `auth/me`'s CPU.
    if !rest.bytes().all(|b| matches!(b, b'a'..=b'z' | b'2'..=b'7')) {
        return Err(KeyFormatError::Alphabet);
    }
    let (body, check) = rest.split_at(BODY_LEN);
    if checksum(body) != check {
        return Err(KeyFormatError::Checksum);
    }
    Ok(lookup_prefix(key))
}

/// Generates a key for `user_id` and stores its hash; the returned secret is shown once.
pub async fn issue(
    db: &Db,
    user_id: &str,
    name: String,
    scopes: &[Permission],
    expires_at: Option<NaiveDateTime>,
) -> StoreResult<(String, ApiKey)> {
    let generated = generate();
    let mut scopes: Vec<String> = scopes.iter().map(|p| p.as_str().to_owned()).collect();
    scopes.sort();
    scopes.dedup();
    let new = NewApiKey {
        user_id: user_id.to_owned(),
        name,
        prefix: generated.prefix,
        key_hash: generated.hash,
        scopes,
        expires_at,
    };
    let key = ApiKey::create(db, new).await?;
    Ok((generated.secret, key))
}

pub fn hash(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// Compares the key's hash with the stored one in time independent of where they differ.
pub fn matches(key: &str, stored_hash: &str) -> bool {
    constant_time_eq(hash(key).as_bytes(), stored_hash.as_bytes())
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn lookup_prefix(key: &str) -> String {
    key.chars().take(KEY_PREFIX.len() + LOOKUP_LEN).collect()
}

/// The first `CHECK_LEN` base32 characters of the body's SHA-256 (the first 4 bytes are enough).
fn checksum(body: &str) -> String {
    let mut text = base32(&Sha256::digest(body.as_bytes())[..4]);
    text.truncate(CHECK_LEN);
    text
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_parse_and_match_their_hash() {
        let key = generate();
        assert_eq!(key.secret.len(), KEY_LEN);
        assert!(key.secret.starts_with("mfm_"));
        assert_eq!(parse(&key.secret), Ok(key.prefix.clone()));
        assert!(matches(&key.secret, &key.hash));
        assert!(!key.hash.contains(&key.secret[4..]));
    }

    #[test]
    fn a_typo_fails_the_checksum() {
        let key = generate().secret;
        let mut typo: Vec<char> = key.chars().collect();
        typo[10] = if typo[10] == 'a' { 'b' } else { 'a' };
        let typo: String = typo.into_iter().collect();
        assert_eq!(parse(&typo), Err(KeyFormatError::Checksum));
    }

    #[test]
    fn malformed_keys_are_rejected_by_shape() {
        assert_eq!(parse("Bearer-ish"), Err(KeyFormatError::NotAKey));
        assert_eq!(parse("mfm_short"), Err(KeyFormatError::Length));
        let upper = format!("mfm_{}", "A".repeat(BODY_LEN + CHECK_LEN));
        assert_eq!(parse(&upper), Err(KeyFormatError::Alphabet));
    }

    #[test]
    fn the_alphabet_check_accepts_exactly_the_alphabet() {
        for byte in 0..=u8::MAX {
            let mut key = generate().secret.into_bytes();
            key[KEY_PREFIX.len()] = byte;
            let Ok(key) = String::from_utf8(key) else {
                continue; // not text, so never a header value
            };
            assert_eq!(
                parse(&key) != Err(KeyFormatError::Alphabet),
                ALPHABET.contains(&byte),
                "byte {byte}"
            );
        }
    }

    #[test]
    fn the_checksum_is_the_whole_digests_first_characters() {
        // Keys issued before the checksum read only 4 bytes of the digest stay valid.
        for _ in 0..64 {
            let body = base32(&rand::random::<[u8; 32]>());
            let whole = base32(&Sha256::digest(body.as_bytes()));
            assert_eq!(checksum(&body), whole[..CHECK_LEN]);
        }
    }

    #[test]
    fn base32_matches_rfc4648_lowercase() {
        assert_eq!(base32(b"foobar"), "mzxw6ytboi");
    }
}
