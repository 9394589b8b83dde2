//! Builds the application from a configuration: migrations, the store, the cache, the first
//! admin, and the HTTP server bound to its address (port 0 in tests). Running it serves until
//! a signal.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use empire_actors::runtime::{Runtime, RuntimeConfig};
use empire_actors::website_builder::sites::Sites;
use empire_schema::cache::Cache;
use empire_schema::{Db, DbOptions};

use crate::auth::Authenticator;
use crate::auth::jwt::JwtKeys;
use crate::config::Config;
use crate::error::ApiError;
use crate::middleware::request_context::{SlowRequest, request_context};
use crate::middleware::{edge, problem_net};
use crate::ratelimit::RateLimiter;
use crate::routes;
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    /// The server of `http.metrics_addr`, when set, and its port.
    metrics: Option<(u16, Server)>,
    state: AppState,
}

impl Application {
    pub async fn build(mut config: Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.node.http_addr).with_context(|| {
            format!("cannot listen on node.http_addr {}", config.node.http_addr)
        })?;
        // Port 0 becomes the real port, as other nodes are told.
        config.node.http_addr = listener.local_addr()?;
        let port = config.node.http_addr.port();
        let metrics_listener = match config.metrics_addr()? {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .with_context(|| format!("cannot listen on http.metrics_addr {addr}"))?,
            ),
            None => None,
        };
        let state = build_state(config).await?;
        let server = http_server(state.clone(), listener)?;
        let metrics = match metrics_listener {
            Some(listener) => {
                let port = listener.local_addr()?.port();
                Some((port, metrics_server(state.clone(), listener)?))
            }
            None => None,
        };
        Ok(Application {
            port,
            server,
            metrics,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of `http.metrics_addr` (the real one when it asked for port 0), when set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT/SIGTERM (or the server handle stops it), then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Application {
            server,
            metrics,
            state,
            ..
        } = self;
        let result = match metrics {
            Some((_, metrics)) => {
                let handle = metrics.handle();
                let metrics = tokio::spawn(metrics);
                let result = server.await;
                handle.stop(true).await;
                let _ = metrics.await;
                result
            }
            None => server.await,
        };
        state.runtime.shutdown().await;
        drop(state);
        tracing::info!("stopped");
        result
    }
}

/// Migrates the database, opens the pools and makes sure an admin exists.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    let url = config.database_url()?;
    let applied = empire_schema::migrate::run_pending(&url)
        .await
        .with_context(|| format!("cannot migrate database {}", url.redacted()))?;
    if !applied.is_empty() {
        tracing::info!(?applied, "migrations applied");
    }
    let db = Db::connect(&DbOptions {
        url,
        pool_size: config.database.pool_size,
        connect_timeout: Duration::from_millis(config.database.connect_timeout_ms),
    })
    .await?;
    let cache = match config.redis_url() {
        Some(url) => Cache::redis(
            url,
            &config.cache.namespace,
            Duration::from_millis(config.cache.timeout_ms),
        )?,
        None => Cache::memory(config.cache.memory_capacity),
    };
    crate::bootstrap::ensure_admin(&db, &config.auth).await?;
    let secret = crate::auth::secret::load_or_create(
        config.auth.jwt_secret.expose(),
        &config.node.data_dir,
    )?;
    let jwt = JwtKeys::new(
        &secret,
        &config.auth.issuer,
        &config.auth.audience,
        Duration::from_secs(config.auth.token_ttl_s),
        Duration::from_secs(config.auth.leeway_s),
    );
    let limiter = RateLimiter::new(cache.clone(), &config.rate_limit);
    let auth = Authenticator::new(
        Arc::new(jwt),
        crate::auth::seal::Seal::from_secret(&secret),
        db.clone(),
        Duration::from_millis(config.auth.credential_cache_ms),
        limiter.clone(),
    );
    let runtime = Runtime::start(
        RuntimeConfig {
            node: config.node.name.clone(),
            scope: config.cluster.name.clone(),
            agents: config.agents.clone(),
            tasks: config.tasks.clone(),
            http_addr: config.node.http_addr.to_string(),
            cluster: config.cluster.clone(),
            search_dir: Some(config.node.data_dir.join("search")),
            llm: config.llm.settings(),
            web: config.web.clone(),
            shared_cache: config.redis_url().is_some().then(|| cache.clone()),
            sites: Sites::new(config.sites.clone(), config.node.data_dir.join("sites")),
            networks: config.integrations.network_apis()?,
        },
        db.clone(),
    )
    .await?;
    let metrics = crate::metrics::install()?;
    let beacon = crate::beacon::Beacon::start(db.clone());
    crate::outbound::start(&db, &config.integrations, &runtime)?;
    crate::email::start(&db, &config.integrations.email)?;
    crate::schedule::start(&config.integrations, &runtime);
    crate::schedules::start(&db, &runtime);
    Ok(AppState {
        config: Arc::new(config),
        db,
        cache,
        auth,
        limiter,
        runtime,
        sockets: Default::default(),
        snapshots: Default::default(),
        metrics,
        ready: Default::default(),
        beacon,
    })
}

fn http_server(state: AppState, listener: TcpListener) -> anyhow::Result<Server> {
    let config = state.config.clone();
    let slow = web::Data::new(SlowRequest(config.slow_request()));
    let data = web::Data::new(state);
    let server_config = config.clone();
    let mut server = HttpServer::new(move || {
        // The last `wrap` is the outermost: request context sees and stamps every response.
        App::new()
            .app_data(data.clone())
            .app_data(slow.clone())
            .app_data(web::PayloadConfig::new(server_config.http.body_limit_bytes))
            .wrap(edge::cors(&server_config.http.cors_origins))
            .wrap(edge::security_headers())
            .wrap(ErrorHandlers::new().default_handler(problem_net::to_problem))
            .wrap(from_fn(request_context))
            .configure(routes::configure)
            .service(routes::docs::swagger_ui())
            .default_service(web::to(routes::fallback::not_found))
    })
    .shutdown_timeout(config.http.shutdown_timeout_s);
    if config.http.workers > 0 {
        server = server.workers(config.http.workers);
    }
    Ok(server.listen(listener)?.run())
}

/// `/metrics` alone, for operators who keep it off the public listener.
fn metrics_server(state: AppState, listener: TcpListener) -> anyhow::Result<Server> {
    let config = state.config.clone();
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(routes::metrics::MetricsListener)
            .wrap(edge::security_headers())
            .wrap(ErrorHandlers::new().default_handler(problem_net::to_problem))
            .route("/metrics", web::get().to(routes::metrics::metrics))
            .default_service(web::to(metrics_only))
    })
    .workers(1)
    .shutdown_timeout(config.http.shutdown_timeout_s);
    Ok(server.listen(listener)?.run())
}

async fn metrics_only(request: actix_web::HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!(
        "only GET /metrics is served here, not {} {}",
        request.method(),
        request.path()
    )))
}
