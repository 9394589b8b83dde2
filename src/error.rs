//! `ApiError`: every failure an HTTP client sees, as an `application/problem+json` body
//! (RFC 9457) with one table from variant to status.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use empire_schema::StoreError;
use serde::Serialize;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One definition for the runtime's input errors and the 422 body's `errors`.
pub use empire_actors::kinds::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    /// Missing or bad credentials; answered with `WWW-Authenticate`.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{detail}")]
    MethodNotAllowed { detail: String, allow: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{detail}")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// Over a rate limit; `headers` carry `Retry-After` and the RateLimit fields.
    #[error("{detail}")]
    TooManyRequests {
        detail: String,
        headers: Vec<(HeaderName, HeaderValue)>,
    },
    #[error("{detail}")]
    Unavailable { detail: String, retry_after_s: u64 },
    /// An LLM spend budget (`cluster`, `agent:<id>`, `website:<id>`) would be passed: 402,
    /// with the budget named in the body's `budget` member.
    #[error("{detail}")]
    BudgetExceeded { budget: String, detail: String },
    /// Logged once, with its cause chain, where it is turned into a response; the client sees no detail.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// The error body of every failure (RFC 9457), as sent and as `/openapi.json` documents it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A stable `urn:empire:problem:<slug>`; clients may match on it.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Field-level errors of a 422.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    /// The spend budget a 402 names: `cluster`, `agent:<id>` or `website:<id>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<String>,
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError::Validation {
            detail: format!("{field}: {message}"),
            errors: vec![FieldError::new(field, message)],
        }
    }

    /// The one table from variant to status, problem slug and title.
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::MethodNotAllowed { .. } => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
            ),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            ApiError::PayloadTooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Payload too large",
            ),
            ApiError::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            ApiError::Validation { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid input",
            ),
            ApiError::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many requests",
            ),
            ApiError::Unavailable { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
            ),
            ApiError::BudgetExceeded { .. } => (
                StatusCode::PAYMENT_REQUIRED,
                "budget-exceeded",
                "Spend budget exceeded",
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal server error",
            ),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let (status, slug, title) = self.parts();
        let errors = match self {
            ApiError::Validation { errors, .. } => Some(errors.clone()),
            _ => None,
        };
        let problem = Problem {
            kind: format!("urn:empire:problem:{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            errors,
            budget: match self {
                ApiError::BudgetExceeded { budget, .. } => Some(budget.clone()),
                _ => None,
            },
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            ApiError::Unavailable { retry_after_s, .. } => {
                response.insert_header((header::RETRY_AFTER, retry_after_s.to_string()));
            }
            ApiError::Unauthorized(_) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(r#"Bearer realm="empire", error="invalid_token""#),
                ));
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                response.insert_header((header::ALLOW, allow.as_str()));
            }
            ApiError::TooManyRequests { headers, .. } => {
                for (name, value) in headers {
                    response.insert_header((name.clone(), value.clone()));
                }
            }
            _ => {}
        }
        response.body(serde_json::to_string(&problem).unwrap_or_default())
    }
}

impl ApiError {
    pub fn rate_limited(decision: &crate::ratelimit::Decision) -> ApiError {
        let mut headers = actix_web::http::header::HeaderMap::new();
        decision.apply_headers(&mut headers);
        ApiError::TooManyRequests {
            detail: format!(
                "rate limit `{}` exceeded; retry in {} s",
                decision.policy.name,
                decision.retry_after_secs()
            ),
            headers: headers.into_iter().collect(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::NotFound("no such resource".into()),
            StoreError::Conflict(what) => ApiError::Conflict(format!("already exists ({what})")),
            StoreError::MissingReference(what) => {
                ApiError::field("reference", format!("refers to a missing row ({what})"))
            }
            StoreError::Unavailable(_) => ApiError::Unavailable {
                detail: "the database is unavailable; try again shortly".into(),
                retry_after_s: 2,
            },
            other => ApiError::Internal(other.into()),
        }
    }
}

impl From<empire_actors::kinds::KindError> for ApiError {
    fn from(error: empire_actors::kinds::KindError) -> Self {
        use empire_actors::kinds::KindError;
        match error {
            KindError::UnknownKind { agent, kind, known } => {
                let message = format!(
                    "{} has no kind `{kind}`; known kinds: {}",
                    agent.as_str(),
                    known.join(", ")
                );
                ApiError::field("kind", message)
            }
            KindError::InvalidInput(errors) => invalid_input("input", errors),
            KindError::Failed(reason) | KindError::Permanent(reason) => {
                ApiError::Internal(anyhow::anyhow!(reason))
            }
            KindError::BudgetExceeded(exceeded) => ApiError::BudgetExceeded {
                budget: exceeded.budget.to_string(),
                detail: exceeded.to_string(),
            },
        }
    }
}

impl From<empire_actors::runtime::SubmitError> for ApiError {
    fn from(error: empire_actors::runtime::SubmitError) -> Self {
        use empire_actors::runtime::SubmitError;
        match error {
            SubmitError::Kind(error) => error.into(),
            SubmitError::Invalid(error) => ApiError::field(&error.field, error.message),
            SubmitError::Backlog { .. } => ApiError::TooManyRequests {
                detail: error.to_string(),
                headers: vec![(header::RETRY_AFTER, HeaderValue::from_static("5"))],
            },
            SubmitError::IdempotencyConflict { .. } => ApiError::Conflict(error.to_string()),
            SubmitError::Store(error) => error.into(),
        }
    }
}

impl From<empire_actors::runtime::StartError> for ApiError {
    fn from(error: empire_actors::runtime::StartError) -> Self {
        use empire_actors::runtime::StartError;
        match error {
            StartError::Workflow(error) => error.into(),
            StartError::Backlog { .. } => ApiError::TooManyRequests {
                detail: error.to_string(),
                headers: vec![(header::RETRY_AFTER, HeaderValue::from_static("5"))],
            },
            StartError::Store(error) => error.into(),
        }
    }
}

impl From<empire_actors::workflows::WorkflowError> for ApiError {
    fn from(error: empire_actors::workflows::WorkflowError) -> Self {
        use empire_actors::workflows::WorkflowError;
        match error {
            WorkflowError::UnknownKind { kind, known } => ApiError::field(
                "kind",
                format!(
                    "no workflow kind `{kind}`; known kinds: {}",
                    known.join(", ")
                ),
            ),
            WorkflowError::InvalidInput(errors) => invalid_input("input", errors),
            WorkflowError::BadStep(reason) => ApiError::Internal(anyhow::anyhow!(reason)),
        }
    }
}

/// Field errors inside a request's `input`, with paths made relative to the body.
pub(crate) fn invalid_input(root: &str, mut errors: Vec<FieldError>) -> ApiError {
    for error in &mut errors {
        error.field = if error.field.is_empty() {
            root.to_owned()
        } else {
            format!("{root}.{}", error.field)
        };
    }
    let detail = errors
        .iter()
        .map(|error| format!("{}: {}", error.field, error.message))
        .collect::<Vec<_>>()
        .join("; ");
    ApiError::Validation { detail, errors }
}
