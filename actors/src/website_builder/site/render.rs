//! Renders one page of a site through its theme: navigation, breadcrumbs, listings,
//! products, FAQ and the page's JSON-LD.

use minijinja::Environment;
use minijinja::value::{Serde, Value};

use super::context::{self, Alternate, Card, Context, Link, PageView, SiteView};
use super::images::{self, ImageView};
use super::jsonld::{self, Graph};
use super::paths::page_path;
use super::sanitize::{Pictures, Sanitizer};
use super::spec::{PageKind, PageSpec, ProductFact, SiteSpec};
use super::text::Text;
use super::{BuildError, front_matter};

/// Articles the home page lists.
pub const HOME_LISTING: usize = 12;

pub struct Renderer<'a> {
    pub spec: &'a SiteSpec,
    /// The base URL ending in `/`.
    pub base: String,
    pub site: SiteView<'a>,
    pub env: Environment<'static>,
    pub sanitizer: Sanitizer,
    pub text: &'static Text,
}

impl Renderer<'_> {
    pub fn url(&self, page: &PageSpec) -> String {
        format!("{}{}", self.base, page_path(page))
    }

    fn root_path(&self, page: &PageSpec) -> String {
        format!("{}{}", self.site.root, page_path(page))
    }

    fn card(&self, page: &PageSpec) -> Card {
        Card {
            title: page.title.clone(),
            url: self.root_path(page),
            description: page.meta_description.clone(),
            date: (page.kind == PageKind::Article).then(|| context::day(page.published_at)),
        }
    }

    fn category(&self, slug: &str) -> Option<&PageSpec> {
        self.spec
            .pages
            .iter()
            .find(|p| p.kind == PageKind::Category && p.slug == slug)
    }

    /// Articles newest first; ties broken by URL so the order never depends on input order.
    fn articles<'p>(&'p self, category: Option<&str>) -> Vec<&'p PageSpec> {
        let mut articles: Vec<&PageSpec> = self
            .spec
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Article)
            .filter(|p| category.is_none() || p.category.as_deref() == category)
            .collect();
        articles.sort_by(|a, b| {
            b.published_at
                .cmp(&a.published_at)
                .then_with(|| page_path(a).cmp(&page_path(b)))
        });
        articles
    }

    fn trail<'p>(&'p self, page: &'p PageSpec) -> Vec<&'p PageSpec> {
        let mut trail: Vec<&PageSpec> = self
            .spec
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Home)
            .collect();
        if let Some(category) = page.category.as_deref().and_then(|c| self.category(c)) {
            trail.push(category);
        }
        if page.kind != PageKind::Home {
            trail.push(page);
        }
        trail
    }

    pub fn render(&self, page: &PageSpec) -> Result<String, BuildError> {
        let failed = |source| BuildError::Template {
            page: page.id.clone(),
            source,
        };
        let view = self.view(page)?;
        let template = match page.kind {
            PageKind::Home => "home.html",
            PageKind::Category => "category.html",
            PageKind::Article => "article.html",
            PageKind::Imprint | PageKind::Privacy => "legal.html",
        };
        let ctx = Context {
            site: &self.site,
            page: &view,
            text: self.text,
        };
        self.env
            .get_template(template)
            .and_then(|t| t.render(Value::from(Serde(&ctx))))
            .map_err(failed)
    }

    fn view(&self, page: &PageSpec) -> Result<PageView, BuildError> {
        let (_, body) = front_matter::split(&page.markdown);
        let trail = self.trail(page);
        let breadcrumbs = trail
            .iter()
            .map(|p| Link {
                title: if p.kind == PageKind::Home {
                    self.text.home.to_owned()
                } else {
                    p.title.clone()
                },
                url: self.root_path(p),
            })
            .collect();
        let listing = match page.kind {
            PageKind::Home => self.articles(None).into_iter().take(HOME_LISTING).collect(),
            PageKind::Category => self.articles(Some(&page.slug)),
            _ => Vec::new(),
        };
        let categories = match page.kind {
            PageKind::Home => self
                .spec
                .pages
                .iter()
                .filter(|p| p.kind == PageKind::Category)
                .map(|p| self.card(p))
                .collect(),
            _ => Vec::new(),
        };
        let json_ld =
            jsonld::to_script_json(&self.graph(page, &trail)).map_err(BuildError::Json)?;
        Ok(PageView {
            kind: page.kind.as_str(),
            title: page.title.clone(),
            meta_description: page.meta_description.clone(),
            canonical: self.url(page),
            path: self.root_path(page),
            body_html: self.sanitizer.markdown(
                body,
                page.monetised,
                Pictures {
                    images: &self.spec.images,
                    root: &self.site.root,
                },
            ),
            published: context::day(page.published_at),
            updated: context::day(page.updated_at),
            breadcrumbs,
            alternates: self.alternates(page),
            ai_generated: page.ai_generated,
            monetised: page.monetised,
            json_ld,
            products: page
                .products
                .iter()
                .map(|p| context::product_view(p, self.spec.language, self.picture(p)))
                .collect(),
            faq: page.faq.clone(),
            listing: listing.into_iter().map(|p| self.card(p)).collect(),
            categories,
        })
    }

    /// The page itself and its translations, when it has any (hreflang must list itself).
    fn alternates(&self, page: &PageSpec) -> Vec<Alternate> {
        if page.translations.is_empty() {
            return Vec::new();
        }
        let mut alternates: Vec<Alternate> = std::iter::once(Alternate {
            hreflang: self.spec.language.as_str(),
            href: self.url(page),
        })
        .chain(page.translations.iter().map(|t| Alternate {
            hreflang: t.language.as_str(),
            href: t.url.clone(),
        }))
        .collect();
        alternates.sort_by(|a, b| a.hreflang.cmp(b.hreflang).then(a.href.cmp(&b.href)));
        alternates.dedup_by(|a, b| a.hreflang == b.hreflang);
        alternates
    }

    /// The localised picture of a product, if it has one.
    pub fn picture(&self, product: &ProductFact) -> Option<ImageView> {
        let source = product.image_url.as_deref()?;
        images::view(&self.spec.images, &self.site.root, source)
    }

    fn graph(&self, page: &PageSpec, trail: &[&PageSpec]) -> Graph {
        super::graph::page_graph(self, page, trail)
    }
}
