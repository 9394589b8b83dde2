//! The fields of an import form: `kind`, `language`, `niche` and `skip_bad` as short text, each
//! parsed as it arrives, and the `file`, which must come after `kind` (it is stored as it streams,
//! so what it is must be known first).

use actix_multipart::Field;
use empire_actors::opportunity_scanner::import::{self, ImportKind, Input, Language};
use futures::StreamExt;
use serde_json::{Value, json};

use super::upload::bad_body;
use crate::error::{ApiError, FieldError};

/// Longest text field read; a niche is at most 100 characters.
const MAX_TEXT_BYTES: usize = 1024;

/// The text fields read so far.
#[derive(Debug, Default)]
pub struct ImportForm {
    pub kind: Option<ImportKind>,
    pub language: Option<Language>,
    pub niche: Option<String>,
    pub skip_bad: Option<bool>,
}

impl ImportForm {
    /// Reads text field `name` into the form, refusing a value it cannot take.
    pub async fn read(&mut self, name: &str, field: &mut Field) -> Result<(), ApiError> {
        let text = text(name, field).await?;
        let duplicate = match name {
            "kind" => self.kind.replace(parse(name, &text)?).is_some(),
            "language" => self.language.replace(parse(name, &text)?).is_some(),
            "niche" => self.niche.replace(text.trim().to_owned()).is_some(),
            "skip_bad" => self.skip_bad.replace(boolean(&text)?).is_some(),
            _ => {
                return Err(ApiError::field(
                    name,
                    "unknown field (expected kind, language, niche, skip_bad, file)",
                ));
            }
        };
        if duplicate {
            return Err(ApiError::field(name, "sent twice"));
        }
        Ok(())
    }

    /// The kind, which must be known before the file arrives.
    pub fn kind_for_file(&self) -> Result<ImportKind, ApiError> {
        self.kind
            .ok_or_else(|| ApiError::field("kind", "is required, before the file field"))
    }

    /// The import task's input for `upload_id`, checked by the kind's own rules.
    pub fn input(&self, upload_id: &str) -> Result<Value, ApiError> {
        let kind = self
            .kind
            .ok_or_else(|| ApiError::field("kind", "is required"))?;
        let input = Input {
            upload_id: upload_id.to_owned(),
            kind,
            language: self.language,
            niche: self.niche.clone(),
            skip_bad: self.skip_bad.unwrap_or(false),
        };
        let errors = import::validate(&input);
        if !errors.is_empty() {
            return Err(invalid(errors));
        }
        let mut value =
            json!({"upload_id": input.upload_id, "kind": kind, "skip_bad": input.skip_bad});
        if let Some(language) = input.language {
            value["language"] = json!(language);
        }
        if let Some(niche) = input.niche {
            value["niche"] = json!(niche);
        }
        Ok(value)
    }

    /// Checks what has arrived so far, before the file is stored.
    pub fn check(&self) -> Result<(), ApiError> {
        // The upload id is not known yet; the rules that concern it are checked with it.
        self.input("-").map(drop)
    }
}

async fn text(name: &str, field: &mut Field) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|error| bad_body(&error))?;
        if bytes.len() + chunk.len() > MAX_TEXT_BYTES {
            return Err(ApiError::field(
                name,
                format!("must be at most {MAX_TEXT_BYTES} bytes"),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| ApiError::field(name, "must be UTF-8 text"))
}

fn parse<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, ApiError> {
    text.trim().parse().map_err(|_| {
        let expected = match name {
            "kind" => "keywords or awin_feed",
            _ => "en or de",
        };
        ApiError::field(name, format!("`{}`: expected {expected}", text.trim()))
    })
}

fn boolean(text: &str) -> Result<bool, ApiError> {
    match text.trim() {
        "true" | "1" | "on" => Ok(true),
        "false" | "0" | "off" | "" => Ok(false),
        other => Err(ApiError::field(
            "skip_bad",
            format!("`{other}`: expected true or false"),
        )),
    }
}

fn invalid(errors: Vec<FieldError>) -> ApiError {
    let detail = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    ApiError::Validation { detail, errors }
}
