//! The external-worker protocol on `/ws/agents/{agent_id}?mode=worker`: the socket becomes an
//! instance of the agent type. The server sends `registered`, then `task` and `cancel` frames;
//! the worker sends `heartbeat`, `progress`, `result` and `failure` frames.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, Session};
use empire_actors::kinds::AgentId;
use empire_actors::runtime::ActorRef;
use empire_actors::runtime::external::ToWorker;
use empire_actors::runtime::messages::{AgentMessage, ReportOutcome, WorkerReport};
use empire_actors::runtime::wire::Wire;
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
            worker.stop(None);
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
        worker.stop(Some("disconnected".into()));
    });
    Ok(response)
}

async fn serve(
    mut session: Session,
    stream: actix_ws::MessageStream,
    mut inbox: mpsc::Receiver<ToWorker>,
    worker: ActorRef<AgentMessage>,
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
                        let error = json!({"type": "error", "detail": problem});
                        if session.text(error.to_string()).await.is_err() {
                            break None;
                        }
                    }
                }
                Some(Ok(AggregatedMessage::Ping(bytes))) => {
                    let _ = session.pong(&bytes).await;
                    let _ = worker.cast(AgentMessage::Heartbeat(Wire::new(())));
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

/// Turns one worker frame into a message to its instance actor.
fn forward(worker: &ActorRef<AgentMessage>, text: &str) -> Result<(), String> {
    let frame: WorkerFrame = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let message = match frame {
        WorkerFrame::Heartbeat => AgentMessage::Heartbeat(Wire::new(())),
        WorkerFrame::Progress {
            task_id,
            attempt,
            message,
        } => {
            tracing::debug!(task_id, attempt, message, "external worker progress");
            AgentMessage::Heartbeat(Wire::new(()))
        }
        WorkerFrame::Result {
            task_id,
            attempt,
            output,
        } => AgentMessage::Report(Wire::new(WorkerReport {
            task_id,
            attempt,
            outcome: ReportOutcome::Output(output),
        })),
        WorkerFrame::Failure {
            task_id,
            attempt,
            error,
        } => AgentMessage::Report(Wire::new(WorkerReport {
            task_id,
            attempt,
            outcome: ReportOutcome::Error(error),
        })),
    };
    worker.cast(message).map_err(|error| error.to_string())
}
