//! Secrets (passwords, tokens, the cluster cookie, the JWT secret, API keys) in a type that
//! never shows itself: `Debug`, `Display` and `Serialize` print `[redacted]`. Read one only
//! with [`Secret::expose`], where it is used.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub const REDACTED: &str = "[redacted]";

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that uses it (a header, a hash, a handshake).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `text` with every occurrence of the secret replaced, for error details that echo it.
    pub fn scrub(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_owned();
        }
        text.replace(&self.0, REDACTED)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Serialising never writes the secret, so a printed or logged structure cannot leak it; a
/// configuration that must round-trip through TOML opts in with [`exposed`].
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// `#[serde(with = "empire_schema::secret::exposed")]`: writes the secret itself, for
/// configuration layering (file, then environment) that serialises and reads back.
pub mod exposed {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Secret;

    pub fn serialize<S: Serializer>(secret: &Secret, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(secret.expose())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
        Secret::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Layered {
        #[serde(with = "exposed")]
        secret: Secret,
    }

    #[test]
    fn debug_display_and_serialize_hide_the_secret() {
        let secret = Secret::new("sk-live-123");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(secret.to_string(), "[redacted]");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"[redacted]\"");
        assert_eq!(secret.expose(), "sk-live-123");
    }

    #[test]
    fn exposed_round_trips() {
        let layered = Layered {
            secret: "cookie".into(),
        };
        let text = serde_json::to_string(&layered).unwrap();
        assert_eq!(text, r#"{"secret":"cookie"}"#);
        let back: Layered = serde_json::from_str(&text).unwrap();
        assert_eq!(back.secret.expose(), "cookie");
    }

    #[test]
    fn scrub_removes_the_secret_from_text() {
        let secret = Secret::new("sk-live-123");
        assert_eq!(
            secret.scrub("Incorrect API key provided: sk-live-123."),
            "Incorrect API key provided: [redacted]."
        );
    }
}
