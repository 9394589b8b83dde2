//! The external-worker protocol on `/ws/agents/{agent_id}?mode=worker`: the socket becomes an
//! instance of the agent type. The server sends `registered`, then `task` and `cancel` frames;
//! the worker sends `heartbeat`, `progress`, `result` and `failure` frames. A worker that takes
//! no frame for `ws.write_timeout_ms` is dropped (1013); one whose credential lapses is closed
//! (1008); its tasks go back to the queue either way.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, Session};
use empire_actors::kinds::AgentId;
use empire_actors::runtime::{ExternalWorker, ReportOutcome, ToWorker, WorkerGone};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::admit::Admitted;
use super::lapse::Lapse;
use super::limits;
use crate::error::ApiError;
use crate::state::AppState;

/// Frames a worker sends.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorkerFrame {
    Heartbeat,
    Progress {
        task_id: String,
        attempt: i64,
        message: String,
    },
    Result {
        task_id: String,
        attempt: i64,
        output: Value,
    },
    Failure {
        task_id: String,
        attempt: i64,
        error: String,
    },
}

pub async fn open(
    state: &AppState,
    request: &HttpRequest,
    body: web::Payload,
    agent: AgentId,
    admitted: Admitted,
) -> Result<HttpResponse, ApiError> {
    let config = state.config.ws.clone();
    let (outbox, inbox) = mpsc::channel(state.config.tasks.max_in_flight.max(1) * 2);
    let name = uuid::Uuid::new_v4().simple().to_string();
    let heartbeat_timeout = Duration::from_millis(config.worker_heartbeat_timeout_ms);
    let worker = state
        .runtime
        .start_external(agent, &name[..8], outbox, heartbeat_timeout)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    let (response, session, stream) = match actix_ws::handle(request, body) {
        Ok(upgrade) => upgrade,
        Err(error) => {
            worker.stop("not a WebSocket upgrade");
            return Err(ApiError::BadRequest(format!(
                "not a WebSocket upgrade: {error}"
            )));
        }
    };
    let hello = json!({
        "type": "registered",
        "agent": agent.as_str(),
        "heartbeat_timeout_ms": config.worker_heartbeat_timeout_ms,
        "lease_ms": state.config.tasks.lease_ms,
        "max_in_flight": state.config.tasks.max_in_flight,
    });
    actix_web::rt::spawn(async move {
        let Admitted { slot: _slot, watch } = admitted;
        let link = Link {
            session,
            timeout: Duration::from_millis(config.write_timeout_ms),
        };
        let stream = limits::messages(stream, config.max_frame_bytes);
        let ends = Ends {
            lapse: watch.start(),
            max_frame_bytes: config.max_frame_bytes,
        };
        serve(link, stream, inbox, worker.clone(), hello, ends).await;
        // Disconnected: its attempts go back to the queue (the actor's post_stop).
        worker.stop("disconnected");
    });
    Ok(response)
}

/// What else ends a worker's socket besides the worker: its credential lapsing (1008) and a
/// message over `ws.max_frame_bytes` (1009).
struct Ends {
    lapse: Lapse,
    max_frame_bytes: usize,
}

async fn serve(
    mut link: Link,
    mut stream: AggregatedMessageStream,
    mut inbox: mpsc::Receiver<ToWorker>,
    worker: ExternalWorker,
    hello: Value,
    mut ends: Ends,
) {
    let reason = match talk(
        &mut link,
        &mut stream,
        &mut inbox,
        &worker,
        hello,
        &mut ends,
    )
    .await
    {
        Ok(reason) => reason,
        Err(WriteError::Gone) => None,
        Err(error @ WriteError::Stuck(_)) => {
            tracing::warn!(%error, "dropping an external worker");
            Some(CloseReason {
                code: CloseCode::Again,
                description: Some(error.to_string()),
            })
        }
    };
    link.close(reason).await;
}

/// Relays frames both ways until the socket should close (with this reason, if any).
async fn talk(
    link: &mut Link,
    stream: &mut AggregatedMessageStream,
    inbox: &mut mpsc::Receiver<ToWorker>,
    worker: &ExternalWorker,
    hello: Value,
    ends: &mut Ends,
) -> Result<Option<CloseReason>, WriteError> {
    link.text(hello.to_string()).await?;
    loop {
        tokio::select! {
            sent = inbox.recv() => {
                let frame = match sent {
                    Some(ToWorker::Task(task)) => json!({
                        "type": "task", "task_id": task.task_id, "attempt": task.number, "kind": task.kind,
                        "input": task.input, "timeout_ms": task.timeout_ms,
                    }),
                    Some(ToWorker::Cancel { task_id }) => json!({"type": "cancel", "task_id": task_id}),
                    None => return Ok(Some(CloseReason { code: CloseCode::Away, description: Some("worker stopped".into()) })),
                };
                link.text(frame.to_string()).await?;
            }
            message = stream.recv() => match message {
                Some(Ok(AggregatedMessage::Text(text))) => {
                    if let Err(problem) = forward(worker, &text) {
                        let error = json!({"type": "error", "detail": problem.to_string()});
                        link.text(error.to_string()).await?;
                    }
                }
                Some(Ok(AggregatedMessage::Ping(bytes))) => {
                    link.pong(&bytes).await?;
                    let _ = worker.heartbeat();
                }
                Some(Ok(AggregatedMessage::Pong(_))) => {}
                Some(Ok(AggregatedMessage::Binary(_))) => {
                    return Ok(Some(CloseReason { code: CloseCode::Unsupported, description: Some("send JSON text frames".into()) }));
                }
                Some(Ok(AggregatedMessage::Close(_))) | None => return Ok(None),
                Some(Err(error)) => return Ok(Some(limits::close_for(&error, ends.max_frame_bytes))),
            },
            reason = ends.lapse.wait() => return Ok(Some(reason)),
        }
    }
}

/// Writes to the worker, each frame waiting at most `ws.write_timeout_ms` for room: a peer that
/// stops reading cannot hold its instance (and its tasks) forever.
struct Link {
    session: Session,
    timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
enum WriteError {
    #[error("the worker went away")]
    Gone,
    #[error("the worker took no frame for {} ms", .0.as_millis())]
    Stuck(Duration),
}

impl Link {
    async fn text(&mut self, text: String) -> Result<(), WriteError> {
        let timeout = self.timeout;
        Self::sent(
            timeout,
            tokio::time::timeout(timeout, self.session.text(text)).await,
        )
    }

    async fn pong(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        let timeout = self.timeout;
        Self::sent(
            timeout,
            tokio::time::timeout(timeout, self.session.pong(bytes)).await,
        )
    }

    async fn close(self, reason: Option<CloseReason>) {
        let _ = tokio::time::timeout(self.timeout, self.session.close(reason)).await;
    }

    fn sent(
        timeout: Duration,
        result: Result<Result<(), actix_ws::Closed>, tokio::time::error::Elapsed>,
    ) -> Result<(), WriteError> {
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(actix_ws::Closed)) => Err(WriteError::Gone),
            Err(_) => Err(WriteError::Stuck(timeout)),
        }
    }
}

/// Why a worker's frame was not taken.
#[derive(Debug, thiserror::Error)]
enum FrameError {
    #[error("{0}")]
    Malformed(#[from] serde_json::Error),
    #[error(transparent)]
    Gone(#[from] WorkerGone),
}

impl WorkerFrame {
    /// Reads a text frame from a worker.
    pub fn parse(text: &str) -> Result<WorkerFrame, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Turns one worker frame into a message to its instance.
fn forward(worker: &ExternalWorker, text: &str) -> Result<(), FrameError> {
    match WorkerFrame::parse(text)? {
        WorkerFrame::Heartbeat => worker.heartbeat()?,
        WorkerFrame::Progress {
            task_id,
            attempt,
            message,
        } => {
            tracing::debug!(task_id, attempt, message, "external worker progress");
            worker.heartbeat()?;
        }
        WorkerFrame::Result {
            task_id,
            attempt,
            output,
        } => worker.report(task_id, attempt, ReportOutcome::Output(output))?,
        WorkerFrame::Failure {
            task_id,
            attempt,
            error,
        } => worker.report(task_id, attempt, ReportOutcome::Error(error))?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::FromRequest;
    use actix_web::test::TestRequest;

    use super::*;

    #[actix_web::test]
    async fn a_worker_that_takes_no_frames_is_given_up_on() {
        let (request, mut payload) = TestRequest::get()
            .insert_header(("connection", "upgrade"))
            .insert_header(("upgrade", "websocket"))
            .insert_header(("sec-websocket-version", "13"))
            .insert_header(("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="))
            .to_http_parts();
        let body = web::Payload::from_request(&request, &mut payload)
            .await
            .unwrap();
        // The response's body is never read, like a peer that stopped reading: the socket's
        // queue fills and stays full.
        let (_response, session, _stream) = actix_ws::handle(&request, body).unwrap();
        let mut link = Link {
            session,
            timeout: Duration::from_millis(20),
        };
        let mut written = 0;
        let stuck = loop {
            match link.text("{}".into()).await {
                Ok(()) => written += 1,
                Err(error) => break error,
            }
            assert!(written < 1_000, "the queue never filled");
        };
        assert!(matches!(stuck, WriteError::Stuck(_)), "{stuck}");
        assert!(written > 0);
    }
}
