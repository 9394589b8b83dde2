//! The site's static assets (stylesheet, analytics beacon) under content-hashed names, so
//! they can be cached forever and a new build never serves a stale file.

use sha2::{Digest, Sha256};

/// Counts a page view without cookies or storage: one `sendBeacon` of `{site, page,
/// referrer}` to the front door's `/t/e` (`data-endpoint`). It reads its settings from its own
/// tag.
pub const BEACON_JS: &str = r#"(function () {
  var s = document.currentScript;
  if (!s || !navigator.sendBeacon) return;
  var body = JSON.stringify({
    site: s.getAttribute("data-site"),
    page: s.getAttribute("data-page"),
    referrer: document.referrer || null
  });
  // text/plain: a type browsers send without a preflight.
  navigator.sendBeacon(s.getAttribute("data-endpoint") || "/t/e", new Blob([body], { type: "text/plain" }));
})();
"#;

/// One asset file: its path in the build and its bytes.
pub struct Asset {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The asset `assets/<stem>.<first 8 hex of SHA-256>.<ext>`.
pub fn hashed(stem: &str, ext: &str, bytes: &[u8]) -> Asset {
    Asset {
        path: hashed_path(stem, ext, bytes),
        bytes: bytes.to_vec(),
    }
}

/// `assets/<stem>.<first 8 hex of SHA-256>.<ext>`.
pub fn hashed_path(stem: &str, ext: &str, bytes: &[u8]) -> String {
    let digest = sha256_hex(bytes);
    format!("assets/{stem}.{}.{ext}", &digest[..8])
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest.iter() {
        out.push(HEX[usize::from(byte >> 4)]);
        out.push(HEX[usize::from(byte & 0x0f)]);
    }
    out
}

const HEX: [char; 16] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
];
