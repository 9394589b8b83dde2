//! The OpenAPI 3.1 document, generated from the handlers' annotations; security, the required
//! permission (`x-required-permission`) and the shared error responses come from `routes::ROUTES`
//! (see `responses`).

mod responses;

use std::sync::OnceLock;

use actix_web::http::Method;
use utoipa::OpenApi;
use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, ObjectBuilder, OpenApi as Document, PathItem, ResponseBuilder, Type,
};

use crate::error::{FieldError, Problem};
use crate::middleware::access::Access;
use crate::routes::{self, ROUTES};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "empire",
        description = "Runs the AI agents of an affiliate-website business. Authenticate with \
                       `Authorization: Bearer <JWT or API key>` or `X-API-Key: <API key>`; each \
                       operation's `x-required-permission` names what it needs."
    ),
    paths(
        routes::health::liveness::health,
        routes::health::readiness::ready,
        routes::metrics::metrics,
        routes::docs::openapi_json,
        routes::docs::docs,
        routes::auth::login::login,
        routes::auth::me::me,
        routes::auth::logout::logout,
        routes::auth::create_api_key::create_api_key,
        routes::auth::create_api_key::create_api_key_alias,
        routes::auth::list_api_keys::list_api_keys,
        routes::auth::revoke_api_key::revoke_api_key,
        routes::users::create::create_user,
        routes::users::list::list_users,
        routes::users::update::update_user,
        routes::agents::list::list_agents,
        routes::agents::status::agent_status,
        routes::cluster::nodes::cluster_nodes,
        routes::tasks::submit::submit_task,
        routes::tasks::list::list_tasks,
        routes::tasks::get::get_task,
        routes::tasks::cancel::cancel_task,
        routes::schedules::create::create_schedule,
        routes::schedules::list::list_schedules,
        routes::schedules::get::get_schedule,
        routes::schedules::delete::delete_schedule,
        routes::schedules::pause::pause_schedule,
        routes::schedules::pause::resume_schedule,
        routes::workflows::start::start_workflow,
        routes::workflows::get::get_workflow,
        routes::workflows::cancel::cancel_workflow,
        routes::intelligence::search::search,
        routes::intelligence::graph_node::graph_node,
        routes::intelligence::graph_related::graph_related,
        routes::intelligence::opportunity_scan::opportunity_scan,
        routes::intelligence::trends::trends,
        routes::llm::usage::llm_usage,
        routes::llm::budgets::set_llm_budgets,
        routes::intelligence::research::research,
        routes::imports::create::create_import,
        routes::websites::generate::generate_website,
        routes::websites::list::list_websites,
        routes::websites::get::get_website,
        routes::websites::update::update_website,
        routes::websites::delete::delete_website,
        routes::websites::pages::list_pages,
        routes::websites::page_get::get_page,
        routes::websites::page_update::update_page,
        routes::websites::rebuild::rebuild_website,
        routes::websites::publish::publish_website,
        routes::websites::builds::list_builds,
        routes::websites::rollback::rollback_build,
        routes::analytics::website::website_analytics,
        routes::analytics::portfolio::portfolio_analytics,
        routes::go::go,
        routes::beacon::page_view,
        routes::webhooks::digistore24::digistore24_ipn,
        routes::webhooks::awin::awin_notification,
        routes::webhooks::n8n::n8n_hook,
        routes::webhooks::subscriptions::create_subscription,
        routes::webhooks::subscriptions::list_subscriptions,
        routes::webhooks::subscriptions::delete_subscription,
        routes::webhooks::subscriptions::list_deliveries,
        routes::webhooks::subscriptions::replay_delivery,
        routes::leads::capture::capture_lead,
        routes::leads::list::list_leads,
        routes::leads::export::export_leads,
        routes::leads::update::update_lead,
        routes::leads::delete::delete_lead,
        routes::leads::links::confirm,
        routes::leads::links::unsubscribe_page,
        routes::leads::links::unsubscribe,
        crate::dashboard::index,
        crate::dashboard::dashboard,
        crate::dashboard::script,
        crate::dashboard::style,
        routes::sites::root::site_root,
        routes::sites::serve::serve_site,
        routes::sites::serve::head_site,
        crate::ws::dashboard::dashboard,
        crate::ws::agents::watch_agent,
    ),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "system", description = "Probes, metrics and this document"),
        (name = "auth", description = "Login, tokens and API keys"),
        (name = "users", description = "User management (admin.full)"),
        (name = "agents", description = "The five agents, their instances and task kinds"),
        (name = "cluster", description = "The nodes of the cluster"),
        (name = "tasks", description = "Durable tasks for the agents"),
        (name = "workflows", description = "Durable multi-step runs"),
        (name = "schedules", description = "Tasks and workflows started on a cron clock, one node firing each tick"),
        (name = "intelligence", description = "Research, search, the knowledge graph, opportunity scans, keyword trends and keyword and product imports"),
        (name = "websites", description = "Generate affiliate websites and run them: pages, builds, publish and rollback"),
        (name = "llm", description = "LLM spend (integer micro-EUR) and daily budgets (admin.full)"),
        (name = "live", description = "WebSockets: live events for dashboards and watchers"),
        (name = "sites", description = "Published websites, served as static files"),
        (name = "links", description = "Monetised links of the built sites: click tracking and the redirect to the network"),
        (name = "webhooks", description = "What the affiliate networks push to us: sales, refunds and chargebacks"),
        (name = "leads", description = "Addresses from the sites' quiz forms: capture, double opt-in, unsubscribe, list, export and erasure"),
    )
)]
struct ApiDoc;

/// Built once: the document does not change while the process runs.
pub fn document() -> &'static Document {
    static DOCUMENT: OnceLock<Document> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut document = ApiDoc::openapi();
        add_security_schemes(&mut document);
        add_docs_page(&mut document);
        for route in ROUTES {
            if let Some(operation) = document
                .paths
                .paths
                .get_mut(&document_path(route.path))
                .and_then(|item| operation(item, &route.method))
            {
                responses::apply_access(operation, route.access);
                if let Some(name) = path_remainder(route.path) {
                    operation
                        .extensions
                        .get_or_insert_with(Default::default)
                        .insert(REMAINDER.into(), name.into());
                }
            }
        }
        document
    })
}

/// The operation extension naming a path parameter that takes the rest of the path, `/`s and
/// all (OpenAPI has no such parameter; `/sites/{slug}/{path}` needs one).
pub const REMAINDER: &str = "x-path-remainder";

/// A route's path as the document spells it: `{path:.*}` becomes `{path}`.
pub fn document_path(route_path: &str) -> String {
    route_path
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(inner) => format!("{{{}}}", inner.split(':').next().unwrap_or(inner)),
                None => segment.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// The parameter of a route's last segment when it matches the rest of the path (`{path:.*}`).
fn path_remainder(route_path: &str) -> Option<&str> {
    let last = route_path.rsplit('/').next()?;
    let inner = last.strip_prefix('{')?.strip_suffix('}')?;
    let (name, pattern) = inner.split_once(':')?;
    (pattern == ".*").then_some(name)
}

fn add_security_schemes(document: &mut Document) {
    let components = document.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT or mfm_ API key")
                .build(),
        ),
    );
    components.add_security_scheme(
        "api_key",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
    );
}

fn operation<'a>(item: &'a mut PathItem, method: &Method) -> Option<&'a mut Operation> {
    match *method {
        Method::GET => item.get.as_mut(),
        Method::POST => item.post.as_mut(),
        Method::PUT => item.put.as_mut(),
        Method::PATCH => item.patch.as_mut(),
        Method::DELETE => item.delete.as_mut(),
        Method::HEAD => item.head.as_mut(),
        _ => None,
    }
}

/// `/docs/`, the Swagger UI page `/docs` redirects to. Served by `utoipa_swagger_ui` beside the
/// route table (its scripts and styles under `/docs/` are its own), documented here so a client
/// that follows the redirect finds what it gets.
pub const DOCS_PAGE: &str = "/docs/";

fn add_docs_page(document: &mut Document) {
    let html = ContentBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build();
    let mut operation = OperationBuilder::new()
        .tag("system")
        .summary(Some("The interactive docs (Swagger UI)"))
        .response(
            "200",
            ResponseBuilder::new()
                .description("The Swagger UI page, reading /openapi.json")
                .content("text/html", html)
                .build(),
        )
        .build();
    responses::apply_access(&mut operation, Access::Public);
    document
        .paths
        .paths
        .insert(DOCS_PAGE.into(), PathItem::new(HttpMethod::Get, operation));
}
