//! Provider API keys are [`empire_schema::Secret`]s; this reads an optional one from settings.

use serde::{Deserialize, Deserializer};

pub use empire_schema::Secret;

/// Reads an optional key where an empty string (the TOML default `api_key = ""`) means none.
pub(crate) fn deserialize_optional<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Secret>, D::Error> {
    let value = Option::<String>::deserialize(deserializer)?;
    Ok(value.filter(|key| !key.trim().is_empty()).map(Secret::new))
}
