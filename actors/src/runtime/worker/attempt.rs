//! One attempt of one task, from start to stored outcome: run the kind (bounded by the task's
//! timeout), then record success (advancing its workflow in the same transaction) or failure.

use std::time::{Duration, Instant};

use empire_schema::Db;
use empire_schema::models::{Task, TaskStatus};
use ractor::ActorRef;
use serde_json::Value;

use crate::runtime::config::TaskSettings;
use crate::runtime::directory::Directory;
use crate::runtime::events::Event;
use crate::runtime::faults;
use crate::runtime::messages::{AgentMessage, Assignment, AttemptEnded};
use crate::runtime::metrics::{QUEUE_WAIT, RUN_TIME, TASKS_DEAD, TASKS_FAILED, TASKS_SUCCEEDED};
use crate::runtime::wire::Wire;
use crate::runtime::workflow_step;

pub struct Context {
    /// The node running the attempt, recorded with its result.
    pub node: String,
    pub db: Db,
    pub directory: Directory,
    pub settings: TaskSettings,
    pub fault_injection: bool,
}

enum Outcome {
    Output(Value),
    Failure(String),
    Panic(String),
}

pub async fn run(context: Context, assignment: Assignment, instance: ActorRef<AgentMessage>) {
    let agent = assignment.agent.clone();
    let waited_ms = chrono::Utc::now().timestamp_millis() - assignment.queued_at_ms;
    metrics::histogram!(QUEUE_WAIT, "agent" => agent.clone())
        .record(waited_ms.max(0) as f64 / 1000.0);
    let started = Instant::now();
    let outcome = execute(&assignment, context.fault_injection).await;
    metrics::histogram!(RUN_TIME, "agent" => agent.clone()).record(started.elapsed().as_secs_f64());
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (succeeded, panic) = match outcome {
        Outcome::Output(output) => (
            record_success(&context, &assignment, output, duration_ms).await,
            None,
        ),
        Outcome::Failure(error) => {
            record_failure(&context, &assignment, &error).await;
            (false, None)
        }
        Outcome::Panic(message) => {
            record_failure(
                &context,
                &assignment,
                &format!("the work panicked: {message}"),
            )
            .await;
            (false, Some(message))
        }
    };
    let ended = AttemptEnded {
        task_id: assignment.task_id,
        attempt: assignment.attempt,
        succeeded,
        panic,
    };
    let _ = instance.cast(AgentMessage::Ended(Wire::new(ended)));
}

async fn execute(assignment: &Assignment, fault_injection: bool) -> Outcome {
    let (agent, kind, input) = (
        assignment.agent.clone(),
        assignment.kind.clone(),
        assignment.input.clone(),
    );
    // The kinds are CPU work: keep them off the async workers.
    let work = tokio::task::spawn_blocking(move || {
        faults::execute(&agent, &kind, &input, fault_injection)
    });
    match tokio::time::timeout(Duration::from_millis(assignment.timeout_ms), work).await {
        Err(_elapsed) => Outcome::Failure(format!("timed out after {} ms", assignment.timeout_ms)),
        Ok(Err(join)) if join.is_panic() => Outcome::Panic(panic_message(join.into_panic())),
        Ok(Err(join)) => Outcome::Failure(format!("the work was aborted: {join}")),
        Ok(Ok(Ok(output))) => Outcome::Output(output),
        Ok(Ok(Err(error))) => Outcome::Failure(error.to_string()),
    }
}

pub(crate) async fn record_success(
    context: &Context,
    assignment: &Assignment,
    output: Value,
    duration_ms: u64,
) -> bool {
    let advance = match &assignment.workflow_id {
        Some(workflow_id) => {
            match workflow_step::advance(&context.db, &context.settings, workflow_id, &output).await
            {
                Ok(advance) => Some(advance),
                Err(error) => {
                    tracing::error!(%error, task_id = assignment.task_id, "cannot advance the workflow; the attempt will be retried");
                    return false;
                }
            }
        }
        None => None,
    };
    let next = advance
        .as_ref()
        .and_then(|advance| advance.next.as_ref().map(|next| next.agent.clone()));
    let workflow_id = advance.as_ref().map(|advance| advance.workflow_id.clone());
    match Task::succeed(
        &context.db,
        &assignment.task_id,
        assignment.attempt,
        &context.node,
        output,
        advance,
    )
    .await
    {
        Ok(true) => {
            metrics::counter!(TASKS_SUCCEEDED, "agent" => assignment.agent.clone()).increment(1);
            context.directory.publish(Event::TaskSucceeded {
                task_id: assignment.task_id.clone(),
                agent: assignment.agent.clone(),
                attempt: assignment.attempt,
                duration_ms,
                website_id: assignment.website_id.clone(),
            });
            if let Some(workflow_id) = &workflow_id {
                workflow_step::announce(&context.db, &context.directory, workflow_id).await;
            }
            if let Some(agent) = next.and_then(|agent| agent.parse().ok()) {
                context.directory.wake(agent);
            }
            true
        }
        Ok(false) => {
            tracing::info!(
                task_id = assignment.task_id,
                attempt = assignment.attempt,
                "a newer attempt owns the task; result discarded"
            );
            false
        }
        Err(error) => {
            tracing::warn!(%error, task_id = assignment.task_id, "cannot store a result; the lease will expire and the task run again");
            false
        }
    }
}

pub(crate) async fn record_failure(context: &Context, assignment: &Assignment, error: &str) {
    let labels = [("agent", assignment.agent.clone())];
    match Task::fail_attempt(&context.db, &assignment.task_id, assignment.attempt, error).await {
        Ok(Some(status)) => {
            metrics::counter!(TASKS_FAILED, &labels).increment(1);
            let retrying = status == TaskStatus::Queued;
            context.directory.publish(Event::TaskFailed {
                task_id: assignment.task_id.clone(),
                agent: assignment.agent.clone(),
                attempt: assignment.attempt,
                error: error.to_owned(),
                retrying,
                website_id: assignment.website_id.clone(),
            });
            if retrying {
                if let Ok(agent) = assignment.agent.parse() {
                    context.directory.wake(agent);
                }
            } else {
                metrics::counter!(TASKS_DEAD, &labels).increment(1);
                context.directory.publish(Event::TaskDead {
                    task_id: assignment.task_id.clone(),
                    agent: assignment.agent.clone(),
                    error: error.to_owned(),
                    website_id: assignment.website_id.clone(),
                });
                if let Some(workflow_id) = &assignment.workflow_id {
                    workflow_step::fail(&context.db, &context.directory, workflow_id, error).await;
                }
            }
        }
        Ok(None) => tracing::info!(
            task_id = assignment.task_id,
            "a newer attempt owns the task; failure discarded"
        ),
        Err(store_error) => {
            tracing::warn!(%store_error, task_id = assignment.task_id, "cannot record a failure; the lease will expire")
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast::<&str>()
            .map(|message| (*message).to_owned())
            .unwrap_or_else(|_| "unknown panic".into()),
    }
}
