//! `ValidJson<T>`: a JSON body with a checked content type and size, whose deserialisation
//! errors name the offending field (`400` for malformed JSON, `422` for the wrong shape).

use std::future::Future;
use std::pin::Pin;

use actix_web::error::PayloadError;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            });
        let body = web::Bytes::from_request(request, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType(
                    "send the body as application/json".into(),
                ));
            }
            let bytes = body
                .await
                .map_err(|error| match error.as_error::<PayloadError>() {
                    Some(PayloadError::Overflow) => {
                        ApiError::PayloadTooLarge("the request body is too large".into())
                    }
                    _ => ApiError::BadRequest(format!("cannot read the request body: {error}")),
                })?;
            parse(&bytes).map(ValidJson)
        })
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::BadRequest(format!("malformed JSON: {inner}"));
        }
        let field = if path == "." {
            field_from_message(&inner.to_string())
        } else {
            path
        };
        ApiError::Validation {
            detail: format!("{field}: {inner}"),
            errors: vec![FieldError {
                field,
                message: strip_position(&inner.to_string()),
            }],
        }
    })?;
    deserializer
        .end()
        .map_err(|error| ApiError::BadRequest(format!("malformed JSON: {error}")))?;
    Ok(value)
}

/// serde reports a missing or unknown field at the parent; take the name from its message.
fn field_from_message(message: &str) -> String {
    message
        .split('`')
        .nth(1)
        .map(str::to_owned)
        .unwrap_or_else(|| "body".into())
}

fn strip_position(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(
        dead_code,
        reason = "the fields are only deserialised, to test the decoder"
    )]
    struct Body {
        email: String,
        nested: Option<Nested>,
    }

    #[derive(Debug, Deserialize)]
    #[expect(
        dead_code,
        reason = "the fields are only deserialised, to test the decoder"
    )]
    struct Nested {
        count: u32,
    }

    fn field_of(error: ApiError) -> String {
        match error {
            ApiError::Validation { errors, .. } => errors[0].field.clone(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn shape_errors_name_the_field() {
        assert_eq!(field_of(parse::<Body>(br#"{}"#).unwrap_err()), "email");
        assert_eq!(
            field_of(parse::<Body>(br#"{"email":"a","admin":true}"#).unwrap_err()),
            "admin"
        );
        assert_eq!(
            field_of(parse::<Body>(br#"{"email":"a","nested":{"count":-1}}"#).unwrap_err()),
            "nested.count"
        );
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        assert!(matches!(
            parse::<Body>(br#"{"email":"#),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            parse::<Body>(br#"{"email":"a"} trailing"#),
            Err(ApiError::BadRequest(_))
        ));
    }
}
