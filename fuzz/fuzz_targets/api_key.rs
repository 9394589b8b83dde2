//! Credentials as requests present them: the `Authorization` / `X-API-Key` headers, the API key
//! format, login tokens (JWTs), sealed credential-cache entries, and permission lists.
//!
//! Properties: nothing panics; a key accepted has the key's exact shape and its lookup prefix is
//! its start; a key made from any 32 bytes parses back to its prefix and matches its hash, and a
//! changed checksum character is refused; a token verifies only with our issuer and audience, and
//! one we issue round-trips; a cache entry opens only to what was sealed; a permission list
//! reads back the same once written.
#![no_main]

use std::sync::LazyLock;
use std::time::Duration;

use actix_web::http::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use empire::auth::Permission;
use empire::auth::api_key::{self, KEY_LEN, KEY_PREFIX};
use empire::auth::jwt::JwtKeys;
use empire::auth::presented::credential;
use empire::auth::seal::Seal;
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"fuzz-secret-fuzz-secret-fuzz-secret!";
const ISSUER: &str = "empire";
const AUDIENCE: &str = "empire-api";

static JWT: LazyLock<JwtKeys> = LazyLock::new(|| {
    JwtKeys::new(
        SECRET,
        ISSUER,
        AUDIENCE,
        Duration::from_secs(900),
        Duration::from_secs(30),
    )
});
static SEAL: LazyLock<Seal> = LazyLock::new(|| Seal::from_secret(SECRET));

fuzz_target!(|data: &[u8]| {
    headers(data);
    let text = String::from_utf8_lossy(data);
    key_format(&text);
    if let Ok(bytes) = <&[u8; 32]>::try_from(data.get(..32).unwrap_or_default()) {
        generated(bytes, data.get(32).copied().unwrap_or(0));
    }
    token(&text);
    sealed(&text);
    permissions(&text);
});

fn headers(data: &[u8]) {
    let Ok(value) = HeaderValue::from_bytes(data) else {
        return;
    };
    for name in [AUTHORIZATION, HeaderName::from_static("x-api-key")] {
        let mut headers = HeaderMap::new();
        headers.insert(name, value.clone());
        if let Ok(Some(presented)) = credential(&headers) {
            assert_eq!(presented, presented.trim());
            assert!(!presented.is_empty() || !headers.contains_key(AUTHORIZATION));
        }
    }
}

fn key_format(text: &str) {
    if let Ok(prefix) = api_key::parse(text) {
        assert_eq!(text.len(), KEY_LEN);
        assert!(
            text.starts_with(KEY_PREFIX) && text.starts_with(&prefix),
            "{text} / {prefix}"
        );
        assert!(prefix.len() > KEY_PREFIX.len());
        assert!(
            text[KEY_PREFIX.len()..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
        );
    }
}

fn generated(bytes: &[u8; 32], position: u8) {
    let key = api_key::from_bytes(bytes);
    assert_eq!(key.secret.len(), KEY_LEN);
    assert_eq!(
        api_key::parse(&key.secret).as_deref(),
        Ok(key.prefix.as_str())
    );
    assert!(api_key::matches(&key.secret, &key.hash));
    assert!(!key.hash.contains(&key.secret[KEY_PREFIX.len()..]));
    // The checksum is the last 6 characters: any other one there is a typo, always caught.
    let at = KEY_LEN - 1 - usize::from(position) % 6;
    let mut typo = key.secret.clone().into_bytes();
    typo[at] = if typo[at] == b'a' { b'b' } else { b'a' };
    let typo = String::from_utf8(typo).unwrap_or_default();
    assert!(api_key::parse(&typo).is_err(), "typo accepted: {typo}");
    assert!(!api_key::matches(&typo, &key.hash));
}

fn token(text: &str) {
    if let Ok(claims) = JWT.verify(text) {
        assert_eq!(
            (claims.iss.as_str(), claims.aud.as_str()),
            (ISSUER, AUDIENCE)
        );
    }
    let subject: String = text.chars().take(64).collect();
    if let Ok((issued, claims)) = JWT.issue(&subject, vec![text.chars().take(16).collect()], 0) {
        assert_eq!(JWT.verify(&issued).ok(), Some(claims));
    }
}

fn sealed(text: &str) {
    let (cache_key, stored) = text.split_once('\n').unwrap_or(("auth:key:x", text));
    if let Some(json) = SEAL.open(cache_key, stored) {
        assert!(stored.ends_with(json));
    }
    let sealed = SEAL.seal(cache_key, stored);
    assert_eq!(SEAL.open(cache_key, &sealed), Some(stored));
    assert_eq!(SEAL.open(&format!("{cache_key}-"), &sealed), None);
}

fn permissions(text: &str) {
    if let Ok(list) = Permission::parse_list(text) {
        assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        let written = list
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(Permission::parse_list(&written).as_ref(), Ok(&list));
    }
}
