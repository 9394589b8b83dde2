//! The codes of monetised links: the path segment of `/go/{code}`, unguessable and URL-safe.

use rand::Rng;
use rand::distr::Alphanumeric;

/// Characters of a new code: 62^16 ≈ 2^95 possibilities, so codes cannot be enumerated.
pub const CODE_CHARS: usize = 16;
/// Shortest code `/go/{code}` accepts.
pub const MIN_CODE_CHARS: usize = 12;
/// Longest code `/go/{code}` accepts.
pub const MAX_CODE_CHARS: usize = 64;

/// A fresh code from the thread's CSPRNG (ChaCha, seeded from the operating system).
pub fn new_code() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(CODE_CHARS)
        .map(char::from)
        .collect()
}

/// Whether `code` has the shape of a link code (12 to 64 of `A-Z a-z 0-9 - _`), so anything else
/// is refused before the store is asked.
pub fn is_code(code: &str) -> bool {
    (MIN_CODE_CHARS..=MAX_CODE_CHARS).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn new_codes_are_url_safe_long_and_distinct() {
        let codes: HashSet<String> = (0..1_000).map(|_| new_code()).collect();
        assert_eq!(codes.len(), 1_000);
        for code in &codes {
            assert_eq!(code.len(), CODE_CHARS);
            assert!(is_code(code), "{code}");
            assert!(code.bytes().all(|b| b.is_ascii_alphanumeric()), "{code}");
        }
    }

    #[test]
    fn only_well_formed_codes_are_accepted() {
        assert!(is_code("abcDEF012_-x"));
        assert!(!is_code("short"));
        assert!(!is_code(&"a".repeat(MAX_CODE_CHARS + 1)));
        for bad in [
            "abcdefghijk/",
            "abcdefghij%2F",
            "abcdefghijk.",
            "https://evil.example",
        ] {
            assert!(!is_code(bad), "{bad}");
        }
    }
}
