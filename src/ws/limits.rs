//! What a client may send on any socket: messages of at most `ws.max_frame_bytes`, whether in one
//! frame or reassembled from continuation frames, and the close frame for one that breaks a rule.

use actix_ws::{AggregatedMessageStream, CloseCode, CloseReason, MessageStream, ProtocolError};

/// The client's messages, one frame or fragments together capped at `max_bytes`.
pub fn messages(stream: MessageStream, max_bytes: usize) -> AggregatedMessageStream {
    stream
        .max_frame_size(max_bytes)
        .aggregate_continuations()
        .max_continuation_size(max_bytes)
}

/// How to close on a stream error: 1009 for a message over the cap (a frame, or fragments
/// together), 1002 for anything else. Neither message has reached the connection.
pub fn close_for(error: &ProtocolError, max_bytes: usize) -> CloseReason {
    if too_big(error) {
        CloseReason {
            code: CloseCode::Size,
            description: Some(format!("messages are limited to {max_bytes} bytes")),
        }
    } else {
        CloseReason {
            code: CloseCode::Protocol,
            description: Some(error.to_string()),
        }
    }
}

fn too_big(error: &ProtocolError) -> bool {
    match error {
        ProtocolError::Overflow => true,
        // actix-ws reports reassembled fragments over the cap as an I/O error carrying only this
        // text; tests/api/security/sockets.rs notices if it changes.
        ProtocolError::Io(error) => error.to_string().contains("maximum continuation size"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_messages_close_with_1009_and_other_errors_with_1002() {
        assert_eq!(
            close_for(&ProtocolError::Overflow, 10).code,
            CloseCode::Size
        );
        let fragments =
            ProtocolError::Io(std::io::Error::other("Exceeded maximum continuation size"));
        assert_eq!(close_for(&fragments, 10).code, CloseCode::Size);
        let unmasked = ProtocolError::UnmaskedFrame;
        assert_eq!(close_for(&unmasked, 10).code, CloseCode::Protocol);
    }
}
