//! The media type of a built site's file, by extension, and whether its name carries a content
//! hash (so it can be cached forever): shared by the front door and the upload clients.

/// `text/html; charset=utf-8` for `a/index.html`; `application/octet-stream` when unknown.
pub fn content_type(path: &str) -> &'static str {
    let ext = extension(path).to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The part of the file name after its last `.`, or `""`.
pub fn extension(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext,
        _ => "",
    }
}

/// Whether the file is an asset named `assets/<stem>.<8+ hex>.<ext>`: its name changes with its
/// content, so a cached copy never goes stale.
pub fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.strip_prefix("assets/") else {
        return false;
    };
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty()
        && !name.contains('/')
        && hash.len() >= 8
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_follow_the_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/b/index.HTML"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/site.0123abcd.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("img/x.webp"), "image/webp");
        assert_eq!(content_type("favicon.ico"), "image/x-icon");
        assert_eq!(content_type("README"), "application/octet-stream");
        assert_eq!(content_type(".hidden"), "application/octet-stream");
        assert_eq!(extension("a.b/c"), "");
    }

    #[test]
    fn only_content_named_assets_are_immutable() {
        assert!(is_hashed_asset("assets/site.0123abcd.css"));
        assert!(is_hashed_asset("assets/beacon.deadbeef.js"));
        assert!(!is_hashed_asset("assets/site.css"));
        assert!(!is_hashed_asset("assets/site.notahash.css"));
        assert!(!is_hashed_asset("index.html"));
        assert!(!is_hashed_asset("other/site.0123abcd.css"));
        assert!(!is_hashed_asset("assets/sub/site.0123abcd.css"));
    }
}
