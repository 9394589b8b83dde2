//! `import` (service kind): imports a keyword export or an AWIN feed that was uploaded into the
//! store (`POST /api/v1/imports`), reading it back chunk by chunk on whichever node runs the task,
//! telling its progress to the live sockets, and deleting the upload's bytes when it ends.

mod chunks;
mod run;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::kinds::{FieldError, checks};

pub use chunks::Chunks;
pub use empire_schema::types::{ImportKind, Language};
pub use run::{KIND, run};

pub const MAX_UPLOAD_ID_CHARS: usize = 64;
pub const MAX_NICHE_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// The `import_uploads` row holding the file.
    pub upload_id: String,
    pub kind: ImportKind,
    /// The keywords' language (keyword imports only; default `en`).
    #[serde(default)]
    pub language: Option<Language>,
    /// Tags every imported keyword (keyword imports only).
    #[serde(default)]
    pub niche: Option<String>,
    /// Write the good rows of a file that has bad ones.
    #[serde(default)]
    pub skip_bad: bool,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = Vec::new();
    errors.extend(checks::non_blank_text(
        "upload_id",
        &input.upload_id,
        MAX_UPLOAD_ID_CHARS,
    ));
    if let Some(niche) = &input.niche {
        errors.extend(checks::non_blank_text("niche", niche, MAX_NICHE_CHARS));
    }
    if input.kind != ImportKind::Keywords {
        for (field, given) in [
            ("language", input.language.is_some()),
            ("niche", input.niche.is_some()),
        ] {
            if given {
                errors.push(FieldError::new(field, "applies to keyword imports only"));
            }
        }
    }
    errors
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "opportunity_scanner/import input",
        "type": "object",
        "additionalProperties": false,
        "required": ["upload_id", "kind"],
        "properties": {
            "upload_id": { "type": "string", "minLength": 1, "maxLength": MAX_UPLOAD_ID_CHARS, "pattern": "\\S" },
            "kind": { "type": "string", "enum": ImportKind::ALL.map(ImportKind::as_str) },
            "language": { "type": "string", "enum": ["en", "de"], "description": "keyword imports only; default en" },
            "niche": { "type": "string", "minLength": 1, "maxLength": MAX_NICHE_CHARS, "pattern": "\\S", "description": "keyword imports only" },
            "skip_bad": { "type": "boolean" }
        }
    })
}

pub fn example_input() -> Value {
    json!({
        "upload_id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "kind": "keywords",
        "language": "en",
        "niche": "running",
        "skip_bad": false
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::KindError;
    use crate::kinds::decode_valid as decode;

    fn fields(input: Value) -> Vec<String> {
        match decode::<Input>(&input, validate) {
            Err(KindError::InvalidInput(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_example_is_valid_and_bad_fields_are_named() {
        assert!(decode::<Input>(&example_input(), validate).is_ok());
        assert_eq!(
            fields(json!({"upload_id": " ", "kind": "keywords", "niche": ""})),
            ["upload_id", "niche"]
        );
        assert_eq!(
            fields(json!({"upload_id": "u", "kind": "awin_feed", "language": "de", "niche": "x"})),
            ["language", "niche"]
        );
        assert!(decode::<Input>(&json!({"upload_id": "u", "kind": "pdf"}), validate).is_err());
        assert!(
            decode::<Input>(
                &json!({"upload_id": "u", "kind": "keywords", "language": "fr"}),
                validate
            )
            .is_err()
        );
    }
}
