//! The dashboard page: plain HTML, CSS and JS embedded in the binary, using only the public
//! API and `/ws/dashboard`. Served with a strict Content-Security-Policy (no inline script).

use actix_web::HttpResponse;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};

const INDEX: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/style.css");

const POLICY: &str = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; \
                      style-src 'self'; script-src 'self'; frame-ancestors 'none'";

fn asset(content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((CONTENT_SECURITY_POLICY, POLICY))
        .insert_header((CACHE_CONTROL, "no-cache"))
        .body(body)
}

#[utoipa::path(get, path = "/", tag = "live", responses((status = 200, description = "The dashboard page", content_type = "text/html")))]
pub async fn index() -> HttpResponse {
    asset("text/html; charset=utf-8", INDEX)
}

#[utoipa::path(get, path = "/dashboard", tag = "live", responses((status = 200, description = "The dashboard page", content_type = "text/html")))]
pub async fn dashboard() -> HttpResponse {
    asset("text/html; charset=utf-8", INDEX)
}

#[utoipa::path(get, path = "/dashboard/app.js", tag = "live", responses((status = 200, description = "The dashboard script", content_type = "text/javascript")))]
pub async fn script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

#[utoipa::path(get, path = "/dashboard/style.css", tag = "live", responses((status = 200, description = "The dashboard style sheet", content_type = "text/css")))]
pub async fn style() -> HttpResponse {
    asset("text/css; charset=utf-8", STYLE)
}
