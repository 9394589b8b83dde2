//! `build`: a whole static site from a [`SiteSpec`] into an empty folder, deterministically.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::BuildError;
use super::assets::{self, BEACON_JS};
use super::context::{Link, SiteView};
use super::feeds::{self, FeedItem, MAX_URLS_PER_SITEMAP, SitemapUrl};
use super::manifest::BuildManifest;
use super::paths::{normalise_base, page_path};
use super::render::Renderer;
use super::sanitize::Sanitizer;
use super::spec::{PageKind, PageSpec, SiteSpec};
use super::text::{self, Text};
use super::validate::{base_url, validate};
use crate::kinds::FieldError;

/// Renders every file of the site in memory, as `path → bytes`, sorted by path.
pub fn render_site(spec: &SiteSpec) -> Result<BTreeMap<String, Vec<u8>>, BuildError> {
    let spec = &with_legal_pages(spec);
    let errors = validate(spec);
    if !errors.is_empty() {
        return Err(BuildError::Invalid(errors));
    }
    let base = normalise_base(&spec.base_url);
    let root = base_url(&base)
        .map(|u| u.path().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let text = text::text(spec.language);
    let css = assets::hashed("site", "css", spec.theme.stylesheet().as_bytes());
    let beacon = assets::hashed("beacon", "js", BEACON_JS.as_bytes());
    let legal_link = |kind: PageKind| {
        spec.pages.iter().find(|p| p.kind == kind).map(|p| Link {
            title: p.title.clone(),
            url: format!("{root}{}", page_path(p)),
        })
    };
    let (Some(imprint), Some(privacy)) =
        (legal_link(PageKind::Imprint), legal_link(PageKind::Privacy))
    else {
        return Err(BuildError::Invalid(vec![FieldError::new(
            "pages",
            "needs an imprint and a privacy page",
        )]));
    };
    let site = SiteView {
        name: &spec.name,
        slug: &spec.slug,
        lang: spec.language.as_str(),
        nav: spec
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Category)
            .map(|p| Link {
                title: p.title.clone(),
                url: format!("{root}{}", page_path(p)),
            })
            .collect(),
        imprint,
        privacy,
        css: format!("{root}{}", css.path),
        beacon: format!("{root}{}", beacon.path),
        beacon_endpoint: spec
            .analytics_url
            .clone()
            .unwrap_or_else(|| "/t/e".to_owned()),
        feed: format!("{root}feed.xml"),
        settings: &spec.settings,
        root,
    };
    let renderer = Renderer {
        spec,
        base: base.clone(),
        site,
        env: spec
            .theme
            .environment()
            .map_err(|source| BuildError::Template {
                page: String::new(),
                source,
            })?,
        sanitizer: Sanitizer::new(),
        text,
    };
    let mut files = BTreeMap::new();
    for page in &spec.pages {
        let html = renderer.render(page)?;
        files.insert(format!("{}index.html", page_path(page)), html.into_bytes());
    }
    let urls: Vec<SitemapUrl> = spec
        .pages
        .iter()
        .map(|p| SitemapUrl {
            loc: renderer.url(p),
            lastmod: p.updated_at,
        })
        .collect();
    for (path, xml) in feeds::sitemaps(&base, &urls, MAX_URLS_PER_SITEMAP) {
        files.insert(path, xml.into_bytes());
    }
    files.insert("robots.txt".into(), feeds::robots_txt(&base).into_bytes());
    let mut articles: Vec<&PageSpec> = spec
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Article)
        .collect();
    articles.sort_by(|a, b| {
        b.published_at
            .cmp(&a.published_at)
            .then_with(|| page_path(a).cmp(&page_path(b)))
    });
    let items: Vec<FeedItem> = articles
        .iter()
        .take(feeds::FEED_ITEMS)
        .map(|p| FeedItem {
            title: p.title.clone(),
            link: renderer.url(p),
            description: p.meta_description.clone(),
            published: p.published_at,
        })
        .collect();
    let home_description = spec
        .pages
        .iter()
        .find(|p| p.kind == PageKind::Home)
        .map(|p| p.meta_description.as_str())
        .unwrap_or_default();
    let feed = feeds::rss(
        &spec.name,
        &base,
        spec.language.as_str(),
        home_description,
        &items,
    );
    files.insert("feed.xml".into(), feed.into_bytes());
    files.insert(css.path, css.bytes);
    files.insert(beacon.path, beacon.bytes);
    Ok(files)
}

/// Builds the site into `out_dir`, which must be missing or empty so nothing stale mixes in.
/// The same spec always gives byte-identical files.
pub fn build(spec: &SiteSpec, out_dir: &Path) -> Result<BuildManifest, BuildError> {
    build_with(spec, &BTreeMap::new(), out_dir)
}

/// [`build`], plus files that are not rendered from the spec (a search engine's key file) at
/// the paths given. An extra file never replaces a rendered one.
pub fn build_with(
    spec: &SiteSpec,
    extra: &BTreeMap<String, Vec<u8>>,
    out_dir: &Path,
) -> Result<BuildManifest, BuildError> {
    let mut files = render_site(spec)?;
    for (path, bytes) in extra {
        let safe = !path.is_empty()
            && path.split('/').all(|segment| {
                !segment.is_empty() && !segment.starts_with('.') && !segment.contains('\\')
            });
        if !safe || files.contains_key(path) {
            return Err(BuildError::Invalid(vec![FieldError::new(
                "extra_files",
                format!("`{path}` is not a free relative path in the build"),
            )]));
        }
        files.insert(path.clone(), bytes.clone());
    }
    let missing: Vec<FieldError> = spec
        .images
        .iter()
        .filter(|(_, image)| !files.contains_key(&image.path))
        .map(|(source, image)| {
            FieldError::new(
                "images",
                format!("`{}` (from {source}) has no file in the build", image.path),
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(BuildError::Invalid(missing));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BuildError::Io { path, source }
    };
    if out_dir.exists() {
        let mut entries = fs::read_dir(out_dir).map_err(io(out_dir))?;
        if entries.next().is_some() {
            return Err(BuildError::OutDirNotEmpty(out_dir.to_path_buf()));
        }
    }
    let mut manifest = Vec::with_capacity(files.len());
    for (path, bytes) in &files {
        let target = out_dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        fs::write(&target, bytes).map_err(io(&target))?;
        manifest.push(BuildManifest::entry(path.clone(), bytes));
    }
    Ok(BuildManifest { files: manifest })
}

/// The spec with an imprint and a privacy page from its settings where it has none.
fn with_legal_pages(spec: &SiteSpec) -> SiteSpec {
    let mut spec = spec.clone();
    let text: &Text = text::text(spec.language);
    let anchor = spec
        .pages
        .iter()
        .find(|p| p.kind == PageKind::Home)
        .or(spec.pages.first())
        .map(|p| (p.published_at, p.updated_at));
    let Some((published_at, updated_at)) = anchor else {
        return spec;
    };
    for (kind, slug, title) in [
        (PageKind::Imprint, text.imprint_slug, text.imprint),
        (PageKind::Privacy, text.privacy_slug, text.privacy),
    ] {
        if spec.pages.iter().any(|p| p.kind == kind) {
            continue;
        }
        spec.pages.push(PageSpec {
            id: format!("site-{}", kind.as_str()),
            slug: slug.to_owned(),
            kind,
            title: format!("{title} – {}", spec.name),
            meta_description: format!("{title}: {}", spec.name),
            markdown: String::new(),
            category: None,
            published_at,
            updated_at,
            products: Vec::new(),
            faq: Vec::new(),
            translations: Vec::new(),
            ai_generated: false,
            monetised: false,
        });
    }
    spec
}
