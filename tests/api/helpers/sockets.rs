//! A WebSocket test client: connect with a token, read JSON frames with a deadline.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::TestApp;

pub struct Socket {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How a read ended when it did not yield a frame.
#[derive(Debug)]
pub enum Ended {
    Closed(Option<CloseFrame>),
    TimedOut,
}

impl TestApp {
    /// Opens `path` (with `?token=` or `&token=` appended); panics unless the upgrade succeeds.
    pub async fn socket(&self, path: &str, token: &str) -> Socket {
        open(&self.address, path, token).await
    }
}

/// Opens `path` on the server at `base` (`http://…`), as `TestApp::socket` does.
pub async fn open(base: &str, path: &str, token: &str) -> Socket {
    let separator = if path.contains('?') { '&' } else { '?' };
    let url = format!(
        "{}{path}{separator}token={token}",
        base.replace("http://", "ws://")
    );
    let request = url.into_client_request().unwrap();
    let (stream, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("upgrade");
    assert_eq!(response.status(), 101);
    Socket { stream }
}

impl Socket {
    /// The next JSON frame, skipping pings; `Err` when the socket closed or nothing came in time.
    pub async fn next(&mut self, within: Duration) -> Result<Value, Ended> {
        loop {
            match tokio::time::timeout(within, self.stream.next()).await {
                Err(_) => return Err(Ended::TimedOut),
                Ok(None) => return Err(Ended::Closed(None)),
                Ok(Some(Err(_))) => return Err(Ended::Closed(None)),
                Ok(Some(Ok(Message::Text(text)))) => {
                    return Ok(serde_json::from_str(&text).expect("JSON frame"));
                }
                Ok(Some(Ok(Message::Close(frame)))) => return Err(Ended::Closed(frame)),
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// Reads until a frame matches `wanted`; returns every frame read, the match last.
    pub async fn until(&mut self, within: Duration, wanted: impl Fn(&Value) -> bool) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + within;
        let mut frames = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let frame = self.next(left).await.unwrap_or_else(|ended| {
                panic!("{ended:?} before the expected frame; got {frames:?}")
            });
            let done = wanted(&frame);
            frames.push(frame);
            if done {
                return frames;
            }
        }
    }

    pub async fn send(&mut self, frame: Value) {
        self.stream
            .send(Message::text(frame.to_string()))
            .await
            .unwrap();
    }

    /// Sends `text` as one message in `pieces` frames: a first frame, then continuations. Write
    /// errors are ignored: the server may close before the last piece.
    pub async fn send_fragments(&mut self, text: &str, pieces: usize) {
        let chunks: Vec<&[u8]> = text
            .as_bytes()
            .chunks(text.len().div_ceil(pieces))
            .collect();
        for (index, chunk) in chunks.iter().enumerate() {
            let opcode = if index == 0 {
                OpCode::Data(Data::Text)
            } else {
                OpCode::Data(Data::Continue)
            };
            let frame = Frame::message(chunk.to_vec(), opcode, index + 1 == chunks.len());
            let _ = self.stream.send(Message::Frame(frame)).await;
        }
    }

    /// Reads until the server closes: every frame read before, and the close frame.
    pub async fn closed(&mut self, within: Duration) -> (Vec<Value>, Option<CloseFrame>) {
        let deadline = tokio::time::Instant::now() + within;
        let mut frames = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Ok(frame) => frames.push(frame),
                Err(Ended::Closed(close)) => return (frames, close),
                Err(Ended::TimedOut) => panic!("not closed within {within:?}; got {frames:?}"),
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}
