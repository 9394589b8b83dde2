//! The external-worker protocol on `/ws/agents/{agent_id}?mode=worker`: the socket becomes an
//! instance of the agent type. The server sends `registered`, then `task` and `cancel` frames;
//! the worker sends `heartbeat`, `progress`, `result` and `failure` frames.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, Session};
use empire_actors::kinds::AgentId;
use empire_actors::runtime::{ExternalWorker, ReportOutcome, ToWorker, WorkerGone};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::error::ApiError;
use crate::state::AppState;

/// Frames a worker sends.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum WorkerFrame {
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
) -> Result<HttpResponse, ApiError> {
    let config = state.config.ws.clone();
    let slot = state
        .sockets
        .take(config.max_connections)
        .ok_or_else(|| ApiError::Unavailable {
            detail: format!(
                "{} sockets are open, the most this node accepts",
                config.max_connections
            ),
            retry_after_s: 5,
        })?;
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
        let _slot = slot;
        serve(
            session,
            stream,
            inbox,
            worker.clone(),
            hello,
            config.max_frame_bytes,
        )
        .await;
        // Disconnected: its attempts go back to the queue (the actor's post_stop).
        worker.stop("disconnected");
    });
    Ok(response)
}

async fn serve(
    mut session: Session,
    stream: actix_ws::MessageStream,
    mut inbox: mpsc::Receiver<ToWorker>,
    worker: ExternalWorker,
    hello: Value,
    max_frame_bytes: usize,
) {
    let mut stream = stream
        .max_frame_size(max_frame_bytes)
        .aggregate_continuations();
    if session.text(hello.to_string()).await.is_err() {
        return;
    }
    let reason = loop {
        tokio::select! {
            sent = inbox.recv() => {
                let frame = match sent {
                    Some(ToWorker::Task(task)) => json!({
                        "type": "task", "task_id": task.task_id, "attempt": task.attempt, "kind": task.kind,
                        "input": task.input, "timeout_ms": task.timeout_ms,
                    }),
                    Some(ToWorker::Cancel { task_id }) => json!({"type": "cancel", "task_id": task_id}),
                    None => break Some(CloseReason { code: CloseCode::Away, description: Some("worker stopped".into()) }),
                };
                if session.text(frame.to_string()).await.is_err() {
                    break None;
                }
            }
            message = stream.recv() => match message {
                Some(Ok(AggregatedMessage::Text(text))) => {
                    if let Err(problem) = forward(&worker, &text) {
                        let error = json!({"type": "error", "detail": problem.to_string()});
                        if session.text(error.to_string()).await.is_err() {
                            break None;
                        }
                    }
                }
                Some(Ok(AggregatedMessage::Ping(bytes))) => {
                    let _ = session.pong(&bytes).await;
                    let _ = worker.heartbeat();
                }
                Some(Ok(AggregatedMessage::Pong(_))) => {}
                Some(Ok(AggregatedMessage::Binary(_))) => {
                    break Some(CloseReason { code: CloseCode::Unsupported, description: Some("send JSON text frames".into()) });
                }
                Some(Ok(AggregatedMessage::Close(_))) | None => break None,
                Some(Err(error)) => break Some(CloseReason { code: CloseCode::Protocol, description: Some(error.to_string()) }),
            }
        }
    };
    let _ = session.close(reason).await;
}

/// Why a worker's frame was not taken.
#[derive(Debug, thiserror::Error)]
enum FrameError {
    #[error("{0}")]
    Malformed(#[from] serde_json::Error),
    #[error(transparent)]
    Gone(#[from] WorkerGone),
}

/// Turns one worker frame into a message to its instance.
fn forward(worker: &ExternalWorker, text: &str) -> Result<(), FrameError> {
    match serde_json::from_str::<WorkerFrame>(text)? {
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
