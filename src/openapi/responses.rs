//! The error responses every operation shares, added from the route's access and the operation's
//! shape (a body, path or query parameters), so handlers annotate only what is theirs. Every
//! documented 4xx/5xx is `application/problem+json` with the `Problem` schema.

use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

use crate::error::PROBLEM_JSON;
use crate::middleware::access::Access;

/// Why each shared status can be answered; a handler's own description takes precedence.
const SHARED: &[(u16, &str)] = &[
    (
        400,
        "Malformed request: JSON syntax, the query string, or an Origin that is not allowed",
    ),
    (401, "Missing or invalid credentials"),
    (403, "The credential lacks the required permission"),
    (404, "No such resource"),
    (413, "The request body is larger than http.body_limit_bytes"),
    (415, "The body is not application/json"),
    (
        422,
        "Invalid input; `errors` names each field (a body, path or query field)",
    ),
    (429, "Rate limited; retry after `Retry-After` seconds"),
    (500, "Internal error"),
    (503, "Unavailable; retry after `Retry-After` seconds"),
];

/// Sets security and `x-required-permission`, then documents every status the operation can
/// answer besides its own.
pub fn apply_access(operation: &mut Operation, access: Access) {
    operation.extensions = Some(
        ExtensionsBuilder::new()
            .add("x-required-permission", access.describe())
            .build(),
    );
    operation.security = Some(match access {
        Access::Probe | Access::Public | Access::Hook => Vec::new(),
        Access::Authenticated
        | Access::Session
        | Access::SessionWith(_)
        | Access::Permission(_)
        | Access::Socket(_) => {
            vec![
                SecurityRequirement::new("bearer", Vec::<String>::new()),
                SecurityRequirement::new("api_key", Vec::<String>::new()),
            ]
        }
    });
    for status in statuses(operation, access) {
        let key = status.to_string();
        let description = match operation.responses.responses.get(&key) {
            Some(RefOr::T(own)) if has_own_body(own) => continue,
            Some(RefOr::T(own)) => own.description.clone(),
            _ => describe(status).to_owned(),
        };
        operation
            .responses
            .responses
            .insert(key, problem(&description).into());
    }
    // A handler's own error lines (404, 409, …) get the problem body too.
    for (status, response) in operation.responses.responses.iter_mut() {
        if let RefOr::T(own) = response
            && status.parse::<u16>().is_ok_and(|status| status >= 400)
            && !has_own_body(own)
        {
            *own = problem(&own.description);
        }
    }
}

/// What the gateway, the extractors and the handler can answer for this operation.
fn statuses(operation: &Operation, access: Access) -> Vec<u16> {
    // The CORS layer answers 400 to a disallowed Origin, on every route.
    let mut statuses = vec![400];
    if access == Access::Probe {
        return statuses;
    }
    // Credentials are checked, and rate limited, wherever they are sent.
    statuses.extend([401, 429, 500, 503]);
    if matches!(
        access,
        Access::Session | Access::SessionWith(_) | Access::Permission(_) | Access::Socket(_)
    ) {
        statuses.push(403);
    }
    if operation.request_body.is_some() {
        statuses.extend([413, 415, 422]);
    }
    let has = |place: ParameterIn| {
        operation.parameters.iter().flatten().any(
            |parameter| matches!(parameter, RefOr::T(parameter) if parameter.parameter_in == place),
        )
    };
    if has(ParameterIn::Path) {
        statuses.push(404);
    }
    if has(ParameterIn::Query) {
        statuses.push(422);
    }
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

fn describe(status: u16) -> &'static str {
    SHARED
        .iter()
        .find(|(shared, _)| *shared == status)
        .map_or("Error", |(_, description)| description)
}

/// `/ready` answers its 503 with its own report, not a problem.
fn has_own_body(response: &Response) -> bool {
    response.content.iter().any(|(media, content)| {
        let problem_schema = matches!(
            content,
            RefOr::T(content) if matches!(&content.schema, Some(RefOr::Ref(schema)) if schema.ref_location.ends_with("/Problem"))
        );
        media != PROBLEM_JSON && !problem_schema
    })
}

fn problem(description: &str) -> Response {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content(PROBLEM_JSON, content)
        .build()
}
