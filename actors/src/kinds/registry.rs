//! The table of every kind, one row per (agent, kind).

use super::{AgentId, KindSpec, Work, execute_with, validate_with};
use crate::content_generator::{outline, plan_content, write_pages};
use crate::monetization::{build_affiliate_link, check_offers, monetise_site, sync_networks};
use crate::opportunity_scanner::{import, market_scan, research, score_keywords, site_keywords};
use crate::seo_optimizer::{audit_page, audit_site};
use crate::website_builder::{build_site, publish_site, render_page};

/// Every kind of every agent, grouped by agent in [`AgentId::ALL`] order.
pub static KINDS: [KindSpec; 17] = [
    KindSpec {
        agent: AgentId::OpportunityScanner,
        kind: "score_keywords",
        description: "Rank candidate keywords by an opportunity score (volume × CPC, discounted by difficulty, log-scaled to 0–100).",
        input_schema: score_keywords::input_schema,
        example_input: score_keywords::example_input,
        validate: |input| validate_with(input, score_keywords::validate),
        work: Work::Pure(|input| {
            execute_with(input, score_keywords::validate, score_keywords::run)
        }),
    },
    KindSpec {
        agent: AgentId::OpportunityScanner,
        kind: "market_scan",
        description: "Rank niches by demand × commission × EPC ÷ competition from the imported keywords and products (weights configurable), record them in the knowledge graph, and return the ranking with its evidence.",
        input_schema: market_scan::input_schema,
        example_input: market_scan::example_input,
        validate: |input| validate_with(input, market_scan::validate),
        work: Work::Service(|services, input| Box::pin(market_scan::run(services, input))),
    },
    KindSpec {
        agent: AgentId::OpportunityScanner,
        kind: "research",
        description: "Research a niche: ask every provider of the `research` LLM chain (or `providers`), merge their findings with each attributed to its providers, read competitor pages (public addresses only, robots.txt respected), and store a research note.",
        input_schema: research::input_schema,
        example_input: research::example_input,
        validate: |input| validate_with(input, research::validate),
        work: Work::Service(|services, input| Box::pin(research::run(services, input))),
    },
    KindSpec {
        agent: AgentId::OpportunityScanner,
        kind: "site_keywords",
        description: "Pick a website's keywords (imported ones for its niche and language, scored; expansions of the niche when too few), one per planned page, best first; marks the site building and records the targets in the knowledge graph.",
        input_schema: site_keywords::input_schema,
        example_input: site_keywords::example_input,
        validate: |input| validate_with(input, site_keywords::validate),
        work: Work::Service(|services, input| Box::pin(site_keywords::run(services, input))),
    },
    KindSpec {
        agent: AgentId::OpportunityScanner,
        kind: "import",
        description: "Import an uploaded keyword export or AWIN product feed (POST /api/v1/imports stores the file): every row validated, nothing written when one is bad unless `skip_bad`, re-imports idempotent; `task_progress` events tell the phase and rows, and the upload's bytes are deleted when the import ends.",
        input_schema: import::input_schema,
        example_input: import::example_input,
        validate: |input| validate_with(input, import::validate),
        work: Work::Service(|services, input| Box::pin(import::run(services, input))),
    },
    KindSpec {
        agent: AgentId::ContentGenerator,
        kind: "outline",
        description: "Plan an article for a keyword: title, meta description, slug and H2/H3 outline (English or German).",
        input_schema: outline::input_schema,
        example_input: outline::example_input,
        validate: |input| validate_with(input, outline::validate),
        work: Work::Pure(|input| execute_with(input, outline::validate, outline::run)),
    },
    KindSpec {
        agent: AgentId::ContentGenerator,
        kind: "plan_content",
        description: "Plan a website's pages from its keywords: a home page, 2–5 category pages and articles cycling through reviews, comparisons, best-of lists and guides, up to the site's page count; only missing slugs are inserted.",
        input_schema: plan_content::input_schema,
        example_input: plan_content::example_input,
        validate: |input| validate_with(input, plan_content::validate),
        work: Work::Service(|services, input| Box::pin(plan_content::run(services, input))),
    },
    KindSpec {
        agent: AgentId::ContentGenerator,
        kind: "write_pages",
        description: "Write every unwritten, unedited page of a website (title, meta description, Markdown with front matter, FAQ, product facts with their sources, MinHash signature) through the `write_pages` LLM chain, or from templates and the store's data on the offline provider; marked AI-generated.",
        input_schema: write_pages::input_schema,
        example_input: write_pages::example_input,
        validate: |input| validate_with(input, write_pages::validate),
        work: Work::Service(|services, input| Box::pin(write_pages::run(services, input))),
    },
    KindSpec {
        agent: AgentId::WebsiteBuilder,
        kind: "render_page",
        description: "Render Markdown into a complete HTML5 page with title, description, canonical link and viewport; raw HTML is escaped.",
        input_schema: render_page::input_schema,
        example_input: render_page::example_input,
        validate: |input| validate_with(input, render_page::validate),
        work: Work::Pure(|input| execute_with(input, render_page::validate, render_page::run)),
    },
    KindSpec {
        agent: AgentId::WebsiteBuilder,
        kind: "build_site",
        description: "Build a stored website into a new, unpublished static build: its written pages in its theme, imprint and privacy pages, sitemap, RSS and JSON-LD, with the first mention of each linked offer turned into a sponsored /go/{code} link; recorded in the site's builds.",
        input_schema: build_site::input_schema,
        example_input: build_site::example_input,
        validate: |input| validate_with(input, build_site::validate),
        work: Work::Service(|services, input| Box::pin(build_site::run(services, input))),
    },
    KindSpec {
        agent: AgentId::WebsiteBuilder,
        kind: "publish_site",
        description: "Publish a build the SEO gate passed: an atomic swap of the site served at /sites/{slug}/, then the configured directory and Cloudflare Pages deploys and an IndexNow ping. A build the gate did not pass is refused and the website marked failed with the failing pages.",
        input_schema: publish_site::input_schema,
        example_input: publish_site::example_input,
        validate: |input| validate_with(input, publish_site::validate),
        work: Work::Service(|services, input| Box::pin(publish_site::run(services, input))),
    },
    KindSpec {
        agent: AgentId::SeoOptimizer,
        kind: "audit_page",
        description: "Audit a page's on-page SEO (title, description, headings, keyword placement, alt text, links, …) and score it 0–100.",
        input_schema: audit_page::input_schema,
        example_input: audit_page::example_input,
        validate: |input| validate_with(input, audit_page::validate),
        work: Work::Pure(|input| execute_with(input, audit_page::validate, audit_page::run)),
    },
    KindSpec {
        agent: AgentId::SeoOptimizer,
        kind: "audit_site",
        description: "Audit a site build (every page, the sitemap, robots.txt, near-duplicates across all websites), apply the safe fixes into a new build, and store the publish gate's verdict on the build and each page.",
        input_schema: audit_site::input_schema,
        example_input: audit_site::example_input,
        validate: |input| validate_with(input, audit_site::validate),
        work: Work::Service(|services, input| Box::pin(audit_site::run(services, input))),
    },
    KindSpec {
        agent: AgentId::Monetization,
        kind: "build_affiliate_link",
        description: "Build a tracked AWIN deep link or Digistore24 promolink, deriving a stable click reference when none is given.",
        input_schema: build_affiliate_link::input_schema,
        example_input: build_affiliate_link::example_input,
        validate: |input| validate_with(input, build_affiliate_link::validate),
        work: Work::Pure(|input| {
            execute_with(
                input,
                build_affiliate_link::validate,
                build_affiliate_link::run,
            )
        }),
    },
    KindSpec {
        agent: AgentId::Monetization,
        kind: "monetise_site",
        description: "Link every written page of a site to the offers it names (the niche's catalogue and imported feed products): one tracked link per page and offer, reached through /go/{code}; a page with links is marked monetised.",
        input_schema: monetise_site::input_schema,
        example_input: monetise_site::example_input,
        validate: |input| validate_with(input, monetise_site::validate),
        work: Work::Service(|services, input| Box::pin(monetise_site::run(services, input))),
    },
    KindSpec {
        agent: AgentId::Monetization,
        kind: "check_offers",
        description: "The link-health check: fetch every offer a link leads to; a failing one is marked broken and its links move (same /go code) to the best active offer of the niche the page does not link yet; an offer that answers again is marked active.",
        input_schema: check_offers::input_schema,
        example_input: check_offers::example_input,
        validate: |input| validate_with(input, check_offers::validate),
        work: Work::Service(|services, input| Box::pin(check_offers::run(services, input))),
    },
    KindSpec {
        agent: AgentId::Monetization,
        kind: "sync_networks",
        description: "Pull the networks' books: AWIN transactions of the last `days` (approvals and declines move our sales forward, once each), joined AWIN programmes as offers of `niche`, and Digistore24 orders that no IPN reported. Scheduled every [integrations] sync_every_minutes.",
        input_schema: sync_networks::input_schema,
        example_input: sync_networks::example_input,
        validate: |input| validate_with(input, sync_networks::validate),
        work: Work::Service(|services, input| Box::pin(sync_networks::run(services, input))),
    },
];
