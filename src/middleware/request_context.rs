//! Per request: an id (kept from `X-Request-Id` when sane), `X-Process-Time`, metrics by route
//! template and status, an access log line, and a warning when slower than the configured threshold.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use metrics::{Counter, Gauge, Histogram};
use tracing::Instrument;

use crate::metrics::{HTTP_DURATION, HTTP_IN_FLIGHT, HTTP_REQUESTS};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
pub const PROCESS_TIME: HeaderName = HeaderName::from_static("x-process-time");

/// The slow-request threshold, as app data.
#[derive(Debug, Clone, Copy)]
pub struct SlowRequest(pub Duration);

pub async fn request_context(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let request_id =
        incoming_request_id(&request).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let method = method_label(request.method());
    // Unmatched paths share one label, so scanners cannot blow up the series count.
    let route = request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".into());
    let slow = request
        .app_data::<web::Data<SlowRequest>>()
        .map(|slow| slow.0);

    let span =
        tracing::info_span!("request", request_id = %request_id, method = %method, route = %route);
    IN_FLIGHT.with(|gauge| gauge.increment(1.0));
    let outcome = next.call(request).instrument(span.clone()).await;
    IN_FLIGHT.with(|gauge| gauge.decrement(1.0));

    let elapsed = started.elapsed();
    // Handlers turn their errors into responses; an `Err` here comes from inner middleware and
    // is rendered by actix after this point, so it is counted but carries no headers of ours.
    let status = match &outcome {
        Ok(response) => response.status().as_u16(),
        Err(error) => error.as_response_error().status_code().as_u16(),
    };

    let (requests, duration) = series(method, route, status);
    requests.increment(1);
    duration.record(elapsed.as_secs_f64());

    let duration_ms = elapsed.as_millis();
    span.in_scope(|| {
        if slow.is_some_and(|threshold| elapsed > threshold) {
            tracing::warn!(target: "empire::access", status, duration_ms, "slow request");
        } else {
            tracing::info!(target: "empire::access", status, duration_ms, "request");
        }
    });
    let mut response = outcome?.map_into_boxed_body();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert(REQUEST_ID, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("{:.6}", elapsed.as_secs_f64())) {
        headers.insert(PROCESS_TIME, value);
    }
    Ok(response)
}

thread_local! {
    static IN_FLIGHT: Gauge = metrics::gauge!(HTTP_IN_FLIGHT);
    /// This worker thread's handles of the request series it has served, so a request costs a
    /// map lookup instead of building and registering a labelled key.
    static SERIES: RefCell<HashMap<SeriesKey, (Counter, Histogram)>> = RefCell::default();
}

/// Method label, route template, status.
type SeriesKey = (&'static str, String, u16);

/// The request counter and latency histogram of one method, route template and status.
fn series(method: &'static str, route: String, status: u16) -> (Counter, Histogram) {
    SERIES.with_borrow_mut(|series| {
        let handles =
            series
                .entry((method, route, status))
                .or_insert_with_key(|(method, route, status)| {
                    let labels = [
                        ("method", (*method).to_owned()),
                        ("route", route.clone()),
                        ("status", status.to_string()),
                    ];
                    (
                        metrics::counter!(HTTP_REQUESTS, &labels),
                        metrics::histogram!(HTTP_DURATION, &labels),
                    )
                });
        handles.clone()
    })
}

/// Methods outside the standard ones share one label, as unmatched paths do, so made-up
/// methods cannot blow up the series count.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "OTHER",
    }
}

/// A client's id is reused only when short and plain, so it cannot inject into logs or headers.
fn incoming_request_id(request: &ServiceRequest) -> Option<String> {
    let id = request.headers().get(REQUEST_ID)?.to_str().ok()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
    (!id.is_empty() && id.len() <= 128 && id.chars().all(plain)).then(|| id.to_owned())
}
