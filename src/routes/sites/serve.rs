//! `GET /sites/{slug}/{path}`: a file of a site's published build. Only plain relative paths
//! inside the build are read (no `..`, no absolute paths, backslashes or NUL); a folder means
//! its `index.html`. Answers carry a strong ETag (the file's SHA-256) and honour
//! `If-None-Match`; content-hashed assets are cached for a year, everything else for a minute.

use std::fs;
use std::io;
use std::path::Path;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use empire_actors::website_builder::deploy::media::{content_type, is_hashed_asset};
use empire_actors::website_builder::site::publish::SiteStore;
use empire_schema::hex::hex;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=60";

/// A file found in the published build.
struct Found {
    /// Relative to the build's root, `/`-separated.
    path: String,
    bytes: Vec<u8>,
}

#[utoipa::path(
    get,
    path = "/sites/{slug}/{path}",
    tag = "sites",
    params(
        ("slug" = String, Path, description = "The site's slug"),
        ("path" = String, Path, description = "A file of the published build, `/`-separated; it may span several segments, be empty or end in `/` (that folder's index.html)"),
        ("If-None-Match" = Option<String>, Header, description = "ETags the client holds; a match answers 304"),
    ),
    responses(
        (status = 200, description = "The file. `ETag` is strong; `Cache-Control` is a year (immutable) for content-hashed assets, a minute otherwise", content(
            ("text/html"), ("text/css"), ("text/javascript"), ("application/xml"), ("text/plain"),
            ("application/json"), ("image/svg+xml"), ("image/png"), ("image/webp"), ("image/avif"),
            ("image/jpeg"), ("image/x-icon"), ("font/woff2"), ("application/octet-stream")
        )),
        (status = 304, description = "The client's copy (If-None-Match) is current"),
        (status = 400, description = "The path is not a plain relative path (`..`, absolute, backslash, NUL)"),
        (status = 404, description = "No published site with this slug, or no such file in it"),
    )
)]
pub async fn serve_site(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slug = request
        .match_info()
        .get("slug")
        .unwrap_or_default()
        .to_owned();
    let path = request.match_info().get("path").unwrap_or_default();
    let relative = plain_path(path).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "`{}` is not a plain path inside a site",
            path.escape_debug()
        ))
    })?;
    let store = state.runtime.services().sites.store.clone();
    let lookup = slug.clone();
    let found = web::block(move || find(&store, &lookup, &relative))
        .await
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("site file thread: {error}")))?
        .map_err(|error| {
            ApiError::Internal(anyhow::Error::new(error).context("reading a site file"))
        })?;
    let Some(found) = found else {
        return Err(ApiError::NotFound(format!(
            "site `{slug}` has no published file `{path}`"
        )));
    };
    let etag = format!("\"{}\"", hex(&Sha256::digest(&found.bytes)));
    let cache = if is_hashed_asset(&found.path) {
        IMMUTABLE
    } else {
        SHORT
    };
    let not_modified = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| matches_etag(tags, &etag));
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        .insert_header((
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ));
    if not_modified {
        return Ok(response.finish());
    }
    Ok(response
        .content_type(content_type(&found.path))
        .body(found.bytes))
}

/// `HEAD`: the headers `GET` would answer (actix sends no body for a HEAD request).
#[utoipa::path(
    head,
    path = "/sites/{slug}/{path}",
    tag = "sites",
    params(
        ("slug" = String, Path, description = "The site's slug"),
        ("path" = String, Path, description = "As for GET"),
        ("If-None-Match" = Option<String>, Header, description = "ETags the client holds; a match answers 304"),
    ),
    responses(
        (status = 200, description = "The headers GET would send (`Content-Type`, `Content-Length`, `ETag`, `Cache-Control`), without a body", content(
            ("text/html"), ("text/css"), ("text/javascript"), ("application/xml"), ("text/plain"),
            ("application/json"), ("image/svg+xml"), ("image/png"), ("image/webp"), ("image/avif"),
            ("image/jpeg"), ("image/x-icon"), ("font/woff2"), ("application/octet-stream")
        )),
        (status = 304, description = "The client's copy (If-None-Match) is current"),
        (status = 400, description = "The path is not a plain relative path"),
        (status = 404, description = "No published site with this slug, or no such file in it"),
    )
)]
pub async fn head_site(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    serve_site(state, request).await
}

/// The path as segments when every one is a plain name: not empty (except a trailing `/`), not
/// `.` or `..`, and free of `\`, NUL and `%` (actix leaves an encoded `/` as `%2F`).
fn plain_path(path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    if trimmed.is_empty() {
        return Some(path.to_owned());
    }
    let plain = trimmed.split('/').all(|segment| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && !segment.contains(['\\', '\0', '%'])
            && !segment.chars().any(char::is_control)
    });
    plain.then(|| path.to_owned())
}

/// Reads `relative` from the site's published build; `None` when there is no such site or file,
/// or when the path leads outside the build (a symlink).
fn find(store: &SiteStore, slug: &str, relative: &str) -> io::Result<Option<Found>> {
    let Ok(current) = store.current_dir(slug) else {
        return Ok(None);
    };
    // A publish may swap `current` and prune the old build between resolving and reading: one
    // more try then reads the new build.
    for _ in 0..2 {
        let Some(root) = existing(fs::canonicalize(&current))? else {
            return Ok(None);
        };
        match read_inside(&root, relative) {
            Err(error) if error.kind() == io::ErrorKind::NotFound && !root.exists() => continue,
            other => return other,
        }
    }
    Ok(None)
}

fn read_inside(root: &Path, relative: &str) -> io::Result<Option<Found>> {
    let mut target = root.join(relative);
    if relative.is_empty() || relative.ends_with('/') {
        target.push("index.html");
    }
    let Some(mut target) = existing(fs::canonicalize(&target))? else {
        return Ok(None);
    };
    if target.is_dir() {
        target.push("index.html");
        let Some(index) = existing(fs::canonicalize(&target))? else {
            return Ok(None);
        };
        target = index;
    }
    let Ok(inside) = target.strip_prefix(root) else {
        return Ok(None);
    };
    let path = slash_path(inside);
    if !target.is_file() {
        return Ok(None);
    }
    let Some(bytes) = existing(fs::read(&target))? else {
        return Ok(None);
    };
    Ok(Some(Found { path, bytes }))
}

fn existing<T>(result: io::Result<T>) -> io::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `If-None-Match` compares weakly (RFC 9110 § 13.1.2): `W/` prefixes are ignored; `*` matches.
fn matches_etag(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// Serving is checked end to end in tests/api/sites; these pin the path and ETag rules.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_read() {
        for ok in [
            "",
            "index.html",
            "tools/",
            "tools/best-shears/",
            "assets/site.0123abcd.css",
        ] {
            assert_eq!(plain_path(ok).as_deref(), Some(ok), "{ok:?}");
        }
        for bad in [
            "..",
            "../x",
            "a/../../etc/passwd",
            "/etc/passwd",
            "a\\b",
            "a\0b",
            "./a",
            "a//b",
            "%2e%2e/x",
            "a/%2F/b",
        ] {
            assert_eq!(plain_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let etag = "\"abc\"";
        assert!(matches_etag("\"abc\"", etag));
        assert!(matches_etag("\"x\", W/\"abc\"", etag));
        assert!(matches_etag("*", etag));
        assert!(!matches_etag("\"abd\"", etag));
    }

    #[test]
    fn a_symlink_out_of_the_build_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("build");
        fs::create_dir_all(root.join("tools")).unwrap();
        fs::write(root.join("tools/index.html"), "<p>tools</p>").unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("leak.txt")).unwrap();
        let root = fs::canonicalize(&root).unwrap();

        let tools = read_inside(&root, "tools").unwrap().unwrap();
        assert_eq!(
            (tools.path.as_str(), tools.bytes.as_slice()),
            ("tools/index.html", b"<p>tools</p>".as_slice())
        );
        assert!(read_inside(&root, "leak.txt").unwrap().is_none());
        assert!(read_inside(&root, "missing/").unwrap().is_none());
        assert!(read_inside(&root, "tools/index.html/x").unwrap().is_none());
    }
}
