//! Where each page lives: its folder in the build and its URL.

use super::spec::{PageKind, PageSpec};

/// The page's path below the site root: `""` for home, `slug/`, or `category/slug/` for an
/// article in a category. Always ends with `/` unless empty.
pub fn page_path(page: &PageSpec) -> String {
    match (page.kind, &page.category) {
        (PageKind::Home, _) => String::new(),
        (PageKind::Article, Some(category)) => format!("{category}/{}/", page.slug),
        _ => format!("{}/", page.slug),
    }
}

/// The base URL with exactly one trailing `/`, so `base + path` is a URL.
pub fn normalise_base(base: &str) -> String {
    format!("{}/", base.trim_end_matches('/'))
}
