//! `/api/v1/webhooks/subscriptions` (admin.full): who is told about which events. A new
//! subscription's signing secret (`whsec_…`) is shown once, in the `201`. Below each: its
//! delivery log and a replay of any delivery.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use empire_schema::StoreError;
use empire_schema::json::Json;
use empire_schema::models::{Delivery, Subscription};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::extract::{PageQuery, ValidJson};
use crate::outbound::{EVENT_TYPES, deliver, signing};
use crate::routes::views::PageView;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscription {
    #[schema(example = "https://n8n.example.com/webhook/empire")]
    pub url: String,
    /// `["*"]` or some of `task.finished`, `site.published`, `conversion.recorded`.
    pub events: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    /// Since when every delivery has failed.
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub failing_since: Option<DateTime<Utc>>,
    /// Set when it disabled itself after failing too long.
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedSubscription {
    #[serde(flatten)]
    pub subscription: SubscriptionView,
    /// The signing secret: shown this once.
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// The `webhook-id` header.
    pub id: String,
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub next_attempt_at: DateTime<Utc>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<Subscription> for SubscriptionView {
    fn from(subscription: Subscription) -> SubscriptionView {
        SubscriptionView {
            id: subscription.id,
            url: subscription.url,
            events: subscription.events.0,
            created_at: subscription.created_at.and_utc(),
            failing_since: subscription.failing_since.map(|at| at.and_utc()),
            disabled_at: subscription.disabled_at.map(|at| at.and_utc()),
            disabled_reason: subscription.disabled_reason,
        }
    }
}

impl From<Delivery> for DeliveryView {
    fn from(delivery: Delivery) -> DeliveryView {
        DeliveryView {
            id: delivery.id,
            event_type: delivery.event_type,
            status: delivery.status,
            attempts: delivery.attempts,
            next_attempt_at: delivery.next_attempt_at.and_utc(),
            last_status: delivery.last_status,
            last_error: delivery.last_error,
            created_at: delivery.created_at.and_utc(),
            delivered_at: delivery.delivered_at.map(|at| at.and_utc()),
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/webhooks/subscriptions",
    tag = "webhooks",
    request_body = NewSubscription,
    responses(
        (status = 201, description = "Subscribed; the secret is shown only here", body = CreatedSubscription),
        (status = 422, description = "A bad URL (not http(s), or a private address) or event type", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_subscription(
    state: web::Data<AppState>,
    body: ValidJson<NewSubscription>,
) -> Result<HttpResponse, ApiError> {
    let NewSubscription { url, events } = body.0;
    deliver::target_allowed(&url, &state.config.integrations.webhooks)
        .map_err(|reason| ApiError::field("url", reason))?;
    if events.is_empty() {
        return Err(ApiError::field(
            "events",
            "name at least one event, or \"*\"",
        ));
    }
    if let Some(unknown) = events
        .iter()
        .find(|e| *e != "*" && !EVENT_TYPES.contains(&e.as_str()))
    {
        return Err(ApiError::field(
            "events",
            format!(
                "unknown event `{unknown}` (known: *, {})",
                EVENT_TYPES.join(", ")
            ),
        ));
    }
    let row = Subscription {
        id: empire_schema::clock::new_id(),
        url,
        events: Json(events),
        secret: signing::new_secret(),
        created_at: empire_schema::clock::now(),
        failing_since: None,
        disabled_at: None,
        disabled_reason: None,
    };
    Subscription::create(&state.db, &row).await?;
    let secret = row.secret.clone();
    let location = format!("/api/v1/webhooks/subscriptions/{}", row.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(CreatedSubscription {
            subscription: SubscriptionView::from(row),
            secret,
        }))
}

#[utoipa::path(
    get,
    path = "/api/v1/webhooks/subscriptions",
    tag = "webhooks",
    params(PageQuery),
    responses((status = 200, description = "Subscriptions (without secrets), newest first", body = PageView<SubscriptionView>))
)]
pub async fn list_subscriptions(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<PageView<SubscriptionView>>, ApiError> {
    let page = query.page()?;
    Ok(web::Json(PageView::from_page(
        Subscription::page(&state.db, &page).await?,
    )))
}

#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/subscriptions/{id}",
    tag = "webhooks",
    params(("id" = String, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Deleted, with its deliveries"),
        (status = 404, description = "No such subscription", body = crate::error::Problem),
    )
)]
pub async fn delete_subscription(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if Subscription::delete(&state.db, &id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound(format!("no subscription `{id}`")))
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/webhooks/subscriptions/{id}/deliveries",
    tag = "webhooks",
    params(("id" = String, Path, description = "The subscription's id"), PageQuery),
    responses(
        (status = 200, description = "Its deliveries, newest first", body = PageView<DeliveryView>),
        (status = 404, description = "No such subscription", body = crate::error::Problem),
    )
)]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<PageView<DeliveryView>>, ApiError> {
    let page = query.page()?;
    match Subscription::get(&state.db, &id).await {
        Err(StoreError::NotFound) => {
            return Err(ApiError::NotFound(format!("no subscription `{id}`")));
        }
        other => other?,
    };
    Ok(web::Json(PageView::from_page(
        Delivery::of_subscription(&state.db, &id, &page).await?,
    )))
}

#[utoipa::path(
    post,
    path = "/api/v1/webhooks/subscriptions/{id}/deliveries/{delivery_id}/replay",
    tag = "webhooks",
    params(
        ("id" = String, Path, description = "The subscription's id"),
        ("delivery_id" = String, Path, description = "The delivery's id (`msg_…`)"),
    ),
    responses(
        (status = 202, description = "Queued again: same id, attempts from the start"),
        (status = 404, description = "No such delivery of this subscription", body = crate::error::Problem),
    )
)]
pub async fn replay_delivery(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, delivery_id) = path.into_inner();
    if Delivery::replay(&state.db, &id, &delivery_id).await? {
        Ok(HttpResponse::Accepted().finish())
    } else {
        Err(ApiError::NotFound(format!(
            "subscription `{id}` has no delivery `{delivery_id}`"
        )))
    }
}
