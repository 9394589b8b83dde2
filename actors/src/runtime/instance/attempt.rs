//! One attempt of one task, from start to stored outcome: run the kind (bounded by the task's
//! timeout), then record success (advancing its workflow in the same transaction) or failure.

use std::time::{Duration, Instant};

use empire_schema::TaskStatus;
use empire_schema::models::{Succeeded, Task};
use ractor::ActorRef;
use serde_json::Value;

use crate::kinds::Work;
use crate::plumbing::chain::Chain;
use crate::plumbing::event::Event;
use crate::plumbing::messages::{AgentMessage, Assignment, AttemptEnded};
use crate::plumbing::metrics::{QUEUE_WAIT, RUN_TIME, TASKS_DEAD, TASKS_FAILED, TASKS_SUCCEEDED};
use crate::plumbing::wire::Wire;
use crate::runtime::books::Place;
use crate::runtime::submit::announce_queued;
use crate::runtime::{faults, workflow_step};
use crate::services::TaskContext;

enum Outcome {
    Output(Value),
    /// The error, and whether another attempt could succeed.
    Failure(String, bool),
    Panic(String),
}

pub(crate) async fn run(place: Place, assignment: Assignment, instance: ActorRef<AgentMessage>) {
    let agent = assignment.agent.as_str();
    let waited_ms = chrono::Utc::now().timestamp_millis() - assignment.queued_at_ms;
    metrics::histogram!(QUEUE_WAIT, "agent" => agent).record(waited_ms.max(0) as f64 / 1000.0);
    let started = Instant::now();
    let outcome = execute(&place, &assignment).await;
    metrics::histogram!(RUN_TIME, "agent" => agent).record(started.elapsed().as_secs_f64());
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (succeeded, panic) = match outcome {
        Outcome::Output(output) => (
            record_success(&place, &assignment, output, duration_ms).await,
            None,
        ),
        Outcome::Failure(error, retry) => {
            record_failure_with(&place, &assignment, &error, retry).await;
            (false, None)
        }
        Outcome::Panic(message) => {
            let error = format!("the work panicked: {message}");
            record_failure(&place, &assignment, &error).await;
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

async fn execute(place: &Place, assignment: &Assignment) -> Outcome {
    let work = match faults::work(
        assignment.agent,
        &assignment.kind,
        place.settings.fault_injection,
    ) {
        Ok(work) => work,
        Err(error) => return Outcome::Failure(error.to_string(), true),
    };
    let input = assignment.input.clone();
    let handle = match work {
        // CPU work: keep it off the async workers.
        Work::Pure(work) => tokio::task::spawn_blocking(move || work(&input)),
        // Spawned, so that a panic in it is caught like one in pure work.
        Work::Service(work) => {
            let services = place.services.for_task(TaskContext {
                task_id: assignment.task_id.clone(),
                agent: assignment.agent,
                website_id: assignment.website_id.clone(),
            });
            tokio::spawn(work(services, input))
        }
    };
    let abort = handle.abort_handle();
    match tokio::time::timeout(Duration::from_millis(assignment.timeout_ms), handle).await {
        Err(_elapsed) => {
            abort.abort();
            Outcome::Failure(
                format!("timed out after {} ms", assignment.timeout_ms),
                true,
            )
        }
        Ok(Err(join)) if join.is_panic() => Outcome::Panic(panic_message(join.into_panic())),
        Ok(Err(join)) => Outcome::Failure(format!("the work was aborted: {join}"), true),
        Ok(Ok(Ok(output))) => Outcome::Output(output),
        Ok(Ok(Err(error))) => Outcome::Failure(error.to_string(), error.retryable()),
    }
}

/// Stores the output under the attempt's lease, with its workflow's next step if any; true
/// when it was stored.
pub(crate) async fn record_success(
    place: &Place,
    assignment: &Assignment,
    output: Value,
    duration_ms: u64,
) -> bool {
    let advance = match &assignment.workflow_id {
        Some(workflow_id) => {
            match workflow_step::advance(&place.db, &place.settings, workflow_id, &output).await {
                Ok(advance) => Some(advance),
                Err(error) => {
                    tracing::error!(error = %Chain(&error), task_id = assignment.task_id, "cannot advance the workflow; the attempt will be retried");
                    return false;
                }
            }
        }
        None => None,
    };
    let stored = Task::succeed(
        &place.db,
        &assignment.task_id,
        assignment.attempt,
        &place.node,
        output,
        advance,
    )
    .await;
    let next = match stored {
        Ok(Succeeded::Stored { next }) => next,
        Ok(Succeeded::Fenced) => {
            tracing::info!(
                task_id = assignment.task_id,
                attempt = assignment.attempt,
                "a newer attempt owns the task; result discarded"
            );
            return false;
        }
        Err(error) => {
            tracing::warn!(%error, task_id = assignment.task_id, "cannot store a result; the lease will expire and the task run again");
            return false;
        }
    };
    metrics::counter!(TASKS_SUCCEEDED, "agent" => assignment.agent.as_str()).increment(1);
    place.directory.publish(Event::TaskSucceeded {
        task_id: assignment.task_id.clone(),
        agent: assignment.agent,
        attempt: assignment.number,
        duration_ms,
        website_id: assignment.website_id.clone(),
    });
    if let Some(workflow_id) = &assignment.workflow_id {
        workflow_step::announce(&place.db, &place.directory, workflow_id).await;
    }
    if let Some(next) = next {
        announce_queued(&place.directory, &next);
    }
    true
}

pub(crate) async fn record_failure(place: &Place, assignment: &Assignment, error: &str) {
    record_failure_with(place, assignment, error, true).await;
}

/// Records a failed attempt; with `retry` false the task is dead at once (a spent budget is
/// not cured by trying again).
async fn record_failure_with(place: &Place, assignment: &Assignment, error: &str, retry: bool) {
    let agent = assignment.agent.as_str();
    let (db, id, attempt) = (&place.db, &assignment.task_id, assignment.attempt);
    let stored = if retry {
        Task::fail_attempt(db, id, attempt, error).await
    } else {
        Task::fail_for_good(db, id, attempt, error).await
    };
    match stored {
        Ok(Some(status)) => {
            metrics::counter!(TASKS_FAILED, "agent" => agent).increment(1);
            let retrying = status == TaskStatus::Queued;
            place.directory.publish(Event::TaskFailed {
                task_id: assignment.task_id.clone(),
                agent: assignment.agent,
                attempt: assignment.number,
                error: error.to_owned(),
                retrying,
                website_id: assignment.website_id.clone(),
            });
            if retrying {
                place.directory.wake(assignment.agent);
            } else {
                metrics::counter!(TASKS_DEAD, "agent" => agent).increment(1);
                place.directory.publish(Event::TaskDead {
                    task_id: assignment.task_id.clone(),
                    agent: assignment.agent,
                    error: error.to_owned(),
                    website_id: assignment.website_id.clone(),
                });
                if let Some(workflow_id) = &assignment.workflow_id {
                    workflow_step::fail(&place.db, &place.directory, workflow_id, error).await;
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
