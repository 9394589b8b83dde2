//! What a client sees of a website, its pages and its builds.

use chrono::{DateTime, Utc};
use empire_schema::WebsiteStatus;
use empire_schema::models::{SiteBuild, SitePage, Website};
use empire_schema::types::{ArticleType, BuildStatus, Language, PageKind};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct WebsiteView {
    #[schema(format = Uuid)]
    pub id: String,
    pub slug: String,
    pub name: String,
    pub niche: String,
    pub language: Language,
    pub domain: Option<String>,
    pub status: WebsiteStatus,
    /// Why the site is `failed`.
    pub status_reason: Option<String>,
    /// The pipeline (or rebuild) that made it last.
    #[schema(format = Uuid)]
    pub workflow_id: Option<String>,
    /// The build readers see now.
    #[schema(format = Uuid)]
    pub published_build_id: Option<String>,
    /// Options given at generation: `pages`, `theme`, `legal`.
    pub settings: Value,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub updated_at: DateTime<Utc>,
}

impl From<Website> for WebsiteView {
    fn from(site: Website) -> Self {
        WebsiteView {
            id: site.id,
            slug: site.slug,
            name: site.name,
            niche: site.niche,
            language: site.language,
            domain: site.domain,
            status: site.status,
            status_reason: site.status_reason,
            workflow_id: site.workflow_id,
            published_build_id: site.published_build_id,
            settings: site.settings.0,
            created_at: site.created_at.and_utc(),
            updated_at: site.updated_at.and_utc(),
        }
    }
}

/// A page in a list: everything but its body.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageSummaryView {
    #[schema(format = Uuid)]
    pub id: String,
    /// One URL segment; empty for the home page.
    pub slug: String,
    pub kind: PageKind,
    pub article_type: Option<ArticleType>,
    pub keyword: String,
    /// For an article: its category page's slug (it is served at `{category}/{slug}/`).
    pub category: Option<String>,
    pub title: String,
    pub written: bool,
    pub monetised: bool,
    /// Whether a person edited it (a re-run then leaves it alone).
    pub edited: bool,
    /// The latest audit's score, 0–100.
    pub audit_score: Option<f64>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub updated_at: DateTime<Utc>,
}

impl From<SitePage> for PageSummaryView {
    fn from(page: SitePage) -> Self {
        PageSummaryView {
            audit_score: page
                .audit
                .as_ref()
                .and_then(|audit| audit.0.get("score"))
                .and_then(Value::as_f64),
            id: page.id,
            slug: page.slug,
            kind: page.kind,
            article_type: page.article_type,
            keyword: page.keyword,
            category: page.category,
            title: page.title,
            written: page.written,
            monetised: page.monetised,
            edited: page.edited_at.is_some(),
            updated_at: page.updated_at.and_utc(),
        }
    }
}

/// One page with its body, facts and latest audit.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageDetailView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub website_id: String,
    pub slug: String,
    pub kind: PageKind,
    pub article_type: Option<ArticleType>,
    pub keyword: String,
    /// For an article: its category page's slug.
    pub category: Option<String>,
    pub title: String,
    pub meta_description: String,
    /// Markdown with front matter.
    pub markdown: String,
    /// Product facts, each naming its source.
    pub products: Value,
    pub faq: Value,
    pub ai_generated: bool,
    pub written: bool,
    pub monetised: bool,
    /// When a person last edited it.
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub edited_at: Option<DateTime<Utc>>,
    /// The latest audit: score and failing checks.
    pub audit: Option<Value>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub updated_at: DateTime<Utc>,
}

impl From<SitePage> for PageDetailView {
    fn from(page: SitePage) -> Self {
        PageDetailView {
            id: page.id,
            website_id: page.website_id,
            slug: page.slug,
            kind: page.kind,
            article_type: page.article_type,
            keyword: page.keyword,
            category: page.category,
            title: page.title,
            meta_description: page.meta_description,
            markdown: page.markdown,
            products: page.products.0,
            faq: page.faq.0,
            ai_generated: page.ai_generated,
            written: page.written,
            monetised: page.monetised,
            edited_at: page.edited_at.map(|at| at.and_utc()),
            audit: page.audit.map(|audit| audit.0),
            created_at: page.created_at.and_utc(),
            updated_at: page.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BuildView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub website_id: String,
    pub status: BuildStatus,
    pub pages: i64,
    pub files: i64,
    pub bytes: i64,
    /// The publish gate's verdict; absent until audited.
    pub gate_passed: Option<bool>,
    /// The audit's report: the score and the failing checks per page.
    pub report: Value,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub published_at: Option<DateTime<Utc>>,
}

impl From<SiteBuild> for BuildView {
    fn from(build: SiteBuild) -> Self {
        BuildView {
            id: build.id,
            website_id: build.website_id,
            status: build.status,
            pages: build.pages,
            files: build.files,
            bytes: build.bytes,
            gate_passed: build.gate_passed,
            report: build.report.0,
            created_at: build.created_at.and_utc(),
            published_at: build.published_at.map(|at| at.and_utc()),
        }
    }
}

/// What starting a run on a website answers: which run makes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebsiteRunView {
    #[schema(format = Uuid)]
    pub website_id: String,
    #[schema(format = Uuid)]
    pub workflow_id: String,
}
