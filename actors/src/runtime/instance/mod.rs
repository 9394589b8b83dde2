//! An agent instance: runs the task attempts the dispatcher hands it (at most
//! `max_in_flight` at once), renews their leases, answers other agents, and reports status.
//! A panic in a task's work fails the instance, so its supervisor restarts it.

pub(crate) mod attempt;
mod requests;

use std::time::Duration;

use empire_schema::models::Task;
use ractor::{Actor, ActorProcessingErr, ActorRef};
use tokio::task::AbortHandle;

use super::books::{Books, Held, Place};
use crate::plumbing::event::Event;
use crate::plumbing::messages::{AgentMessage, Assignment, AttemptEnded, Incoming, TaskAttempt};
use crate::plumbing::metrics::ASSIGNMENTS_REFUSED;
use crate::plumbing::wire::Wire;

pub(crate) struct AgentInstance;

/// Fails the instance so that its supervisor restarts it.
#[derive(Debug, thiserror::Error)]
#[error("task {task_id} panicked: {message}")]
struct TaskPanicked {
    task_id: String,
    message: String,
}

pub(crate) struct InstanceArgs {
    pub place: Place,
    pub restarts: u64,
}

/// An attempt this instance runs.
pub(crate) struct Running {
    attempt: i64,
    abort: AbortHandle,
}

impl Held for Running {
    fn attempt(&self) -> i64 {
        self.attempt
    }

    fn abort(&self) {
        self.abort.abort();
    }
}

impl Actor for AgentInstance {
    type Msg = AgentMessage;
    type State = Books<Running>;
    type Arguments = InstanceArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: InstanceArgs,
    ) -> Result<Books<Running>, ActorProcessingErr> {
        let renew_every = Duration::from_millis(args.place.settings.renew_ms);
        Ok(Books::open(&myself, args.place, renew_every, args.restarts))
    }

    async fn post_stop(
        &self,
        _: ActorRef<Self::Msg>,
        books: &mut Books<Running>,
    ) -> Result<(), ActorProcessingErr> {
        books.close().await;
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<Self::Msg>,
        message: AgentMessage,
        books: &mut Books<Running>,
    ) -> Result<(), ActorProcessingErr> {
        let message = match message.decode() {
            Ok(message) => message,
            Err(error) => {
                tracing::warn!(%error, instance = books.place.instance, "refused a message that did not decode");
                return Ok(());
            }
        };
        let outcome = match message {
            Incoming::Run(assignment) => {
                start(books, myself, assignment);
                Ok(())
            }
            Incoming::Ended(ended) => ended_attempt(books, ended),
            Incoming::Ask(request, reply) => {
                books.messages_received += 1;
                requests::answer(&books.place, request, reply);
                Ok(())
            }
            Incoming::Tell(notice) => {
                books.messages_received += 1;
                requests::note(&books.place, &notice);
                Ok(())
            }
            Incoming::Status(reply) => {
                let _ = reply.send(Wire::new(books.status()));
                Ok(())
            }
            Incoming::RenewLeases => {
                books.renew(myself);
                Ok(())
            }
            Incoming::LeaseLost(lost) => {
                lease_lost(books, lost);
                Ok(())
            }
            // Only external workers' sockets send these.
            Incoming::Report(_) | Incoming::Heartbeat | Incoming::CheckHeartbeat => Ok(()),
        };
        books.report_load();
        outcome
    }
}

fn start(books: &mut Books<Running>, myself: ActorRef<AgentMessage>, assignment: Assignment) {
    if !books.has_room() {
        // Dispatchers on other nodes hand work by loads reported a moment ago: when two
        // fill the same slot, the later attempt goes back to the queue, uncounted.
        refuse(books, assignment);
        return;
    }
    books.place.directory.publish(Event::TaskStarted {
        task_id: assignment.task_id.clone(),
        agent: assignment.agent,
        attempt: assignment.number,
        instance: books.place.instance.clone(),
        node: books.place.node.clone(),
        website_id: assignment.website_id.clone(),
    });
    let task_id = assignment.task_id.clone();
    let attempt = assignment.attempt;
    let handle = tokio::spawn(attempt::run(books.place.clone(), assignment, myself));
    let running = Running {
        attempt,
        abort: handle.abort_handle(),
    };
    books.hold(task_id, running);
}

fn refuse(books: &Books<Running>, assignment: Assignment) {
    metrics::counter!(ASSIGNMENTS_REFUSED, "agent" => books.place.agent.as_str()).increment(1);
    let (db, directory, agent, id) = (
        books.place.db.clone(),
        books.place.directory.clone(),
        books.place.agent,
        books.id,
    );
    tokio::spawn(async move {
        let held = TaskAttempt {
            task_id: assignment.task_id,
            attempt: assignment.attempt,
        };
        if let Err(error) = Task::release(&db, &held.task_id, held.attempt).await {
            tracing::warn!(%error, task_id = held.task_id, "cannot give back a task; its lease will expire");
        }
        directory.released(agent, id, held);
    });
}

fn ended_attempt(
    books: &mut Books<Running>,
    ended: AttemptEnded,
) -> Result<(), ActorProcessingErr> {
    if ended.succeeded {
        books.processed += 1;
    } else {
        books.failed += 1;
    }
    let task_id = ended.task_id.clone();
    books.end(TaskAttempt {
        task_id: ended.task_id,
        attempt: ended.attempt,
    });
    match ended.panic {
        // The attempt is already recorded as failed; failing the instance gets it restarted.
        Some(message) => Err(TaskPanicked { task_id, message }.into()),
        None => Ok(()),
    }
}

/// Cancelled, or reaped after a stall: another attempt may own the task now.
fn lease_lost(books: &mut Books<Running>, lost: TaskAttempt) {
    let task_id = lost.task_id.clone();
    if let Some(running) = books.end(lost) {
        running.abort();
        tracing::info!(task_id, "stopped an attempt that lost its lease");
    }
}
