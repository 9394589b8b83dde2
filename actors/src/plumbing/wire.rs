//! `Wire<T>`: a message payload that crosses nodes as MessagePack (rmp-serde). Decoding never
//! panics: bytes that do not decode arrive as an error, for the receiver to refuse.

use ractor::BytesConvertable;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::metrics::{REMOTE_RECEIVED, REMOTE_SENT};

#[derive(Debug, Clone, PartialEq)]
pub struct Wire<T>(Result<T, WireError>);

/// Why a payload from another node cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WireError {
    #[error("undecodable message: {0}")]
    Undecodable(String),
    /// The sending node could not use the payload either (it forwarded an error).
    #[error("the sender sent an error: {0}")]
    FromSender(String),
}

impl<T> Wire<T> {
    pub fn new(value: T) -> Wire<T> {
        Wire(Ok(value))
    }

    pub fn into_inner(self) -> Result<T, WireError> {
        self.0
    }
}

/// What crosses the wire: serde encodes it exactly as it encodes a `Result` (variants `Ok` and
/// `Err`), as nodes always have, so nodes of different versions still understand each other.
#[derive(Serialize, Deserialize)]
enum Payload<T> {
    Ok(T),
    Err(String),
}

/// Only messages to or from another node are ever converted to bytes, so these count cluster
/// traffic, labelled by payload type.
impl<T: Serialize + DeserializeOwned> BytesConvertable for Wire<T> {
    fn into_bytes(self) -> Vec<u8> {
        let payload = match self.0 {
            Ok(value) => Payload::Ok(value),
            Err(error) => Payload::Err(error.to_string()),
        };
        // Serialising our own types to MessagePack cannot fail; an empty payload decodes as an error.
        let bytes = rmp_serde::to_vec_named(&payload).unwrap_or_default();
        metrics::counter!(REMOTE_SENT, "payload" => payload_name::<T>()).increment(1);
        bytes
    }

    fn from_bytes(bytes: Vec<u8>) -> Self {
        metrics::counter!(REMOTE_RECEIVED, "payload" => payload_name::<T>()).increment(1);
        match rmp_serde::from_slice::<Payload<T>>(&bytes) {
            Ok(Payload::Ok(value)) => Wire(Ok(value)),
            Ok(Payload::Err(error)) => Wire(Err(WireError::FromSender(error))),
            Err(error) => Wire(Err(WireError::Undecodable(error.to_string()))),
        }
    }
}

/// `Assignment` for `empire_actors::plumbing::messages::Assignment`.
fn payload_name<T>() -> &'static str {
    let name = std::any::type_name::<T>();
    let bare = name.split('<').next().unwrap_or(name);
    bare.rsplit("::").next().unwrap_or(bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Payload {
        name: String,
        input: serde_json::Value,
    }

    #[test]
    fn the_encoding_is_that_of_a_result() {
        let ok: Result<u32, String> = Ok(7);
        let err: Result<u32, String> = Err("no".into());
        assert_eq!(
            Wire::new(7u32).into_bytes(),
            rmp_serde::to_vec_named(&ok).unwrap()
        );
        let bytes = rmp_serde::to_vec_named(&err).unwrap();
        assert_eq!(
            Wire::<u32>::from_bytes(bytes).into_inner(),
            Err(WireError::FromSender("no".into()))
        );
    }

    #[test]
    fn payloads_round_trip_and_garbage_does_not_panic() {
        let payload = Payload {
            name: "x".into(),
            input: serde_json::json!({"a": [1, 2.5, "b"]}),
        };
        let bytes = Wire::new(payload.clone()).into_bytes();
        assert_eq!(Wire::<Payload>::from_bytes(bytes).into_inner(), Ok(payload));
        assert!(matches!(
            Wire::<Payload>::from_bytes(vec![0xc1, 0xff]).into_inner(),
            Err(WireError::Undecodable(_))
        ));
    }
}
