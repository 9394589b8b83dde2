//! Pictures in a build: which addresses a site's pages show (Markdown images and product
//! pictures), and the localised copies a build serves instead. A page never links a picture
//! where it was found: that would tell a stranger's server who reads the page. A picture with no
//! localised copy is left out.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{Event, Parser, Tag};
use serde::{Deserialize, Serialize};

use super::front_matter;
use super::spec::SiteSpec;

/// A picture localised into the build: its file (`assets/<stem>.<hash>.webp`) and pixel size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalImage {
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// The localised pictures of a build by the address they were found at.
pub type Images = BTreeMap<String, LocalImage>;

/// What a page's `<img>` shows: the localised file under the site's root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageView {
    pub src: String,
    pub width: u32,
    pub height: u32,
}

/// The view of `source` when it was localised.
pub fn view(images: &Images, root: &str, source: &str) -> Option<ImageView> {
    images.get(source).map(|image| ImageView {
        src: format!("{root}{}", image.path),
        width: image.width,
        height: image.height,
    })
}

/// Every web address (`http(s)://`) a page of `spec` shows a picture from, sorted.
pub fn sources(spec: &SiteSpec) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for page in &spec.pages {
        let (_, body) = front_matter::split(&page.markdown);
        for event in Parser::new(body) {
            if let Event::Start(Tag::Image { dest_url, .. }) = event
                && is_web_address(&dest_url)
            {
                found.insert(dest_url.into_string());
            }
        }
        found.extend(
            page.products
                .iter()
                .filter_map(|product| product.image_url.clone())
                .filter(|url| is_web_address(url)),
        );
    }
    found
}

fn is_web_address(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// `assets/<stem>.<hash>.webp` with a readable stem from the source's file name
/// (`Garden-Shears_XL.JPG` → `garden-shears-xl`), or `image`.
pub fn file_stem(source: &str) -> String {
    let name = url::Url::parse(source)
        .ok()
        .and_then(|url| {
            url.path_segments()
                .and_then(|mut segments| segments.next_back().map(str::to_owned))
        })
        .unwrap_or_default();
    let stem = name
        .rsplit_once('.')
        .map_or(name.as_str(), |(stem, _)| stem);
    let mut out = String::with_capacity(stem.len());
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "image".to_owned()
    } else {
        out.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_readable_and_safe() {
        assert_eq!(
            file_stem("https://cdn.example/p/Garden-Shears_XL.JPG?w=1"),
            "garden-shears-xl"
        );
        assert_eq!(file_stem("https://cdn.example/"), "image");
        assert_eq!(file_stem("https://cdn.example/%2E%2E%2Fetc"), "2e-2e-2fetc");
        assert_eq!(file_stem("https://cdn.example/../../x.png"), "x");
        assert!(file_stem(&format!("https://x.io/{}.png", "a".repeat(99))).len() <= 40);
    }
}
