//! HTTP routes, one operation per file. `ROUTES` is the single table of every route and the
//! access it requires; `configure` registers exactly that table.

pub mod agents;
pub mod analytics;
pub mod auth;
pub mod beacon;
pub mod cluster;
pub mod docs;
pub mod fallback;
pub mod go;
pub mod health;
pub mod imports;
pub mod intelligence;
pub mod leads;
pub mod llm;
pub mod metrics;
pub mod schedules;
pub mod site_origin;
pub mod sites;
pub mod tasks;
pub mod users;
pub mod utc;
pub mod views;
pub mod webhooks;
pub mod websites;
pub mod workflows;

use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{guard, web};

use crate::auth::Permission::{
    AdminFull, AgentsManage, AgentsRead, IntelligenceUse, WebsitesManage, WebsitesRead,
};
use crate::middleware::access::{self, Access};

#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// Declares every route once: method, path template, required access, handler.
macro_rules! route_table {
    ($($method:ident $path:literal, $access:expr => $handler:path;)*) => {
        pub const ROUTES: &[RouteSpec] = &[
            $(RouteSpec { method: Method::$method, path: $path, access: $access },)*
        ];

        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(
                cfg.service(
                    web::resource($path).guard(guard::Method(Method::$method)).route(
                        web::route()
                            .to($handler)
                            .wrap(from_fn(|request, next| access::check($access, request, next))),
                    ),
                );
            )*
        }
    };
}

route_table! {
    GET "/health", Access::Probe => health::liveness::health;
    GET "/ready", Access::Probe => health::readiness::ready;
    GET "/metrics", Access::Probe => metrics::metrics;
    GET "/openapi.json", Access::Public => docs::openapi_json;
    GET "/docs", Access::Public => docs::docs;
    POST "/api/v1/auth/login", Access::Public => auth::login::login;
    GET "/api/v1/auth/me", Access::Authenticated => auth::me::me;
    POST "/api/v1/auth/logout", Access::Session => auth::logout::logout;
    POST "/api/v1/auth/api-keys", Access::Session => auth::create_api_key::create_api_key;
    POST "/api/v1/auth/api-key", Access::Session => auth::create_api_key::create_api_key_alias;
    GET "/api/v1/auth/api-keys", Access::Authenticated => auth::list_api_keys::list_api_keys;
    DELETE "/api/v1/auth/api-keys/{id}", Access::Authenticated => auth::revoke_api_key::revoke_api_key;
    POST "/api/v1/users", Access::SessionWith(AdminFull) => users::create::create_user;
    GET "/api/v1/users", Access::Permission(AdminFull) => users::list::list_users;
    PATCH "/api/v1/users/{id}", Access::SessionWith(AdminFull) => users::update::update_user;
    GET "/api/v1/agents", Access::Permission(AgentsRead) => agents::list::list_agents;
    GET "/api/v1/agents/{agent_id}/status", Access::Permission(AgentsRead) => agents::status::agent_status;
    POST "/api/v1/agents/{agent_id}/tasks", Access::Permission(AgentsManage) => tasks::submit::submit_task;
    GET "/api/v1/cluster", Access::Permission(AgentsRead) => cluster::nodes::cluster_nodes;
    GET "/api/v1/tasks", Access::Permission(AgentsRead) => tasks::list::list_tasks;
    GET "/api/v1/tasks/{id}", Access::Permission(AgentsRead) => tasks::get::get_task;
    POST "/api/v1/tasks/{id}/cancel", Access::Permission(AgentsManage) => tasks::cancel::cancel_task;
    POST "/api/v1/schedules", Access::Permission(AgentsManage) => schedules::create::create_schedule;
    GET "/api/v1/schedules", Access::Permission(AgentsRead) => schedules::list::list_schedules;
    GET "/api/v1/schedules/{id}", Access::Permission(AgentsRead) => schedules::get::get_schedule;
    DELETE "/api/v1/schedules/{id}", Access::Permission(AgentsManage) => schedules::delete::delete_schedule;
    POST "/api/v1/schedules/{id}/pause", Access::Permission(AgentsManage) => schedules::pause::pause_schedule;
    POST "/api/v1/schedules/{id}/resume", Access::Permission(AgentsManage) => schedules::pause::resume_schedule;
    POST "/api/v1/workflows", Access::Permission(AgentsManage) => workflows::start::start_workflow;
    GET "/api/v1/workflows/{id}", Access::Permission(AgentsRead) => workflows::get::get_workflow;
    POST "/api/v1/workflows/{id}/cancel", Access::Permission(AgentsManage) => workflows::cancel::cancel_workflow;
    GET "/api/v1/intelligence/search", Access::Permission(IntelligenceUse) => intelligence::search::search;
    GET "/api/v1/intelligence/graph/nodes/{id}", Access::Permission(IntelligenceUse) => intelligence::graph_node::graph_node;
    GET "/api/v1/intelligence/graph/related", Access::Permission(IntelligenceUse) => intelligence::graph_related::graph_related;
    POST "/api/v1/intelligence/opportunity-scan", Access::Permission(IntelligenceUse) => intelligence::opportunity_scan::opportunity_scan;
    GET "/api/v1/intelligence/trends", Access::Permission(IntelligenceUse) => intelligence::trends::trends;
    GET "/api/v1/llm/usage", Access::Permission(AdminFull) => llm::usage::llm_usage;
    PUT "/api/v1/llm/budgets", Access::Permission(AdminFull) => llm::budgets::set_llm_budgets;
    POST "/api/v1/intelligence/research", Access::Permission(IntelligenceUse) => intelligence::research::research;
    POST "/api/v1/imports", Access::Permission(IntelligenceUse) => imports::create::create_import;
    POST "/api/v1/websites/generate", Access::Permission(WebsitesManage) => websites::generate::generate_website;
    GET "/api/v1/websites", Access::Permission(WebsitesRead) => websites::list::list_websites;
    GET "/api/v1/websites/{id}", Access::Permission(WebsitesRead) => websites::get::get_website;
    PATCH "/api/v1/websites/{id}", Access::Permission(WebsitesManage) => websites::update::update_website;
    DELETE "/api/v1/websites/{id}", Access::Permission(WebsitesManage) => websites::delete::delete_website;
    GET "/api/v1/websites/{id}/pages", Access::Permission(WebsitesRead) => websites::pages::list_pages;
    GET "/api/v1/websites/{id}/pages/{page_id}", Access::Permission(WebsitesRead) => websites::page_get::get_page;
    PATCH "/api/v1/websites/{id}/pages/{page_id}", Access::Permission(WebsitesManage) => websites::page_update::update_page;
    POST "/api/v1/websites/{id}/rebuild", Access::Permission(WebsitesManage) => websites::rebuild::rebuild_website;
    POST "/api/v1/websites/{id}/publish", Access::Permission(WebsitesManage) => websites::publish::publish_website;
    GET "/api/v1/websites/{id}/builds", Access::Permission(WebsitesRead) => websites::builds::list_builds;
    POST "/api/v1/websites/{id}/builds/{build_id}/rollback", Access::Permission(WebsitesManage) => websites::rollback::rollback_build;
    GET "/api/v1/websites/{id}/analytics", Access::Permission(WebsitesRead) => analytics::website::website_analytics;
    GET "/api/v1/analytics/portfolio", Access::Permission(WebsitesRead) => analytics::portfolio::portfolio_analytics;
    GET "/", Access::Public => crate::dashboard::index;
    GET "/dashboard", Access::Public => crate::dashboard::dashboard;
    GET "/go/{code}", Access::Public => go::go;
    POST "/t/e", Access::Public => beacon::page_view;
    POST "/webhooks/digistore24", Access::Hook => webhooks::digistore24::digistore24_ipn;
    POST "/webhooks/awin/{token}", Access::Hook => webhooks::awin::awin_notification;
    POST "/webhooks/n8n/{hook}", Access::Hook => webhooks::n8n::n8n_hook;
    POST "/api/v1/webhooks/subscriptions", Access::Permission(AdminFull) => webhooks::subscriptions::create_subscription;
    GET "/api/v1/webhooks/subscriptions", Access::Permission(AdminFull) => webhooks::subscriptions::list_subscriptions;
    DELETE "/api/v1/webhooks/subscriptions/{id}", Access::Permission(AdminFull) => webhooks::subscriptions::delete_subscription;
    GET "/api/v1/webhooks/subscriptions/{id}/deliveries", Access::Permission(AdminFull) => webhooks::subscriptions::list_deliveries;
    POST "/api/v1/webhooks/subscriptions/{id}/deliveries/{delivery_id}/replay", Access::Permission(AdminFull) => webhooks::subscriptions::replay_delivery;
    POST "/api/v1/leads", Access::Public => leads::capture::capture_lead;
    GET "/api/v1/leads", Access::Permission(WebsitesRead) => leads::list::list_leads;
    GET "/api/v1/leads/export", Access::Permission(WebsitesRead) => leads::export::export_leads;
    PATCH "/api/v1/leads/{id}", Access::Permission(WebsitesManage) => leads::update::update_lead;
    DELETE "/api/v1/leads/{id}", Access::Permission(WebsitesManage) => leads::delete::delete_lead;
    GET "/leads/confirm", Access::Public => leads::links::confirm;
    GET "/leads/unsubscribe", Access::Public => leads::links::unsubscribe_page;
    POST "/leads/unsubscribe", Access::Public => leads::links::unsubscribe;
    GET "/dashboard/app.js", Access::Public => crate::dashboard::script;
    GET "/dashboard/style.css", Access::Public => crate::dashboard::style;
    GET "/sites/{slug}", Access::Public => sites::root::site_root;
    GET "/sites/{slug}/{path:.*}", Access::Public => sites::serve::serve_site;
    HEAD "/sites/{slug}/{path:.*}", Access::Public => sites::serve::head_site;
    GET "/ws/dashboard", Access::Socket(AgentsRead) => crate::ws::dashboard::dashboard;
    GET "/ws/agents/{agent_id}", Access::Socket(AgentsRead) => crate::ws::agents::watch_agent;
}
