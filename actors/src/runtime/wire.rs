//! `Wire<T>`: a message payload that crosses nodes as MessagePack (rmp-serde). Decoding never
//! panics: bytes that do not decode arrive as `Err`, for the receiver to refuse.

use ractor::BytesConvertable;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, PartialEq)]
pub struct Wire<T>(pub Result<T, String>);

impl<T> Wire<T> {
    pub fn new(value: T) -> Wire<T> {
        Wire(Ok(value))
    }

    pub fn into_inner(self) -> Result<T, String> {
        self.0
    }
}

impl<T: Serialize + DeserializeOwned> BytesConvertable for Wire<T> {
    fn into_bytes(self) -> Vec<u8> {
        // Serialising our own types to MessagePack cannot fail; an empty payload decodes as an error.
        rmp_serde::to_vec_named(&self.0).unwrap_or_default()
    }

    fn from_bytes(bytes: Vec<u8>) -> Self {
        match rmp_serde::from_slice::<Result<T, String>>(&bytes) {
            Ok(value) => Wire(value),
            Err(error) => Wire(Err(format!("undecodable message: {error}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Payload {
        name: String,
        input: serde_json::Value,
    }

    #[test]
    fn payloads_round_trip_and_garbage_does_not_panic() {
        let payload = Payload {
            name: "x".into(),
            input: serde_json::json!({"a": [1, 2.5, "b"]}),
        };
        let bytes = Wire::new(payload.clone()).into_bytes();
        assert_eq!(Wire::<Payload>::from_bytes(bytes).into_inner(), Ok(payload));
        assert!(
            Wire::<Payload>::from_bytes(vec![0xc1, 0xff])
                .into_inner()
                .is_err()
        );
    }
}
