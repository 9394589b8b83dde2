//! An external worker: a process in any language, connected over a WebSocket, registered as an
//! instance of an agent type. The dispatcher hands it attempts like any instance; its results
//! are fenced like local ones; when it disconnects or stops sending heartbeats its attempts go
//! back to the queue.

use std::time::{Duration, Instant};

use ractor::{Actor, ActorProcessingErr, ActorRef};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::books::{Books, Held, Place};
use super::instance::attempt;
use crate::plumbing::event::Event;
use crate::plumbing::messages::{
    AgentMessage, AgentReply, Assignment, Incoming, ReportOutcome, TaskAttempt, WorkerReport,
};
use crate::plumbing::wire::Wire;

/// What the runtime sends down an external worker's socket.
#[derive(Debug, Clone, PartialEq)]
pub enum ToWorker {
    Task(Assignment),
    /// The attempt lost its lease (cancelled, or reaped): stop working on it.
    Cancel {
        task_id: String,
    },
}

/// The front door's handle on an external worker's instance.
#[derive(Clone)]
pub struct ExternalWorker(ActorRef<AgentMessage>);

/// The worker's instance stopped (its heartbeats timed out, or the runtime shut down).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the worker's instance has stopped")]
pub struct WorkerGone;

impl ExternalWorker {
    /// The worker finished an attempt it was handed.
    pub fn report(
        &self,
        task_id: String,
        attempt: i64,
        outcome: ReportOutcome,
    ) -> Result<(), WorkerGone> {
        let report = WorkerReport {
            task_id,
            attempt,
            outcome,
        };
        self.send(AgentMessage::Report(Wire::new(report)))
    }

    /// The worker is alive.
    pub fn heartbeat(&self) -> Result<(), WorkerGone> {
        self.send(AgentMessage::Heartbeat(Wire::new(())))
    }

    /// The socket closed: the worker's attempts go back to the queue.
    pub fn stop(&self, reason: &str) {
        self.0.stop(Some(reason.to_owned()));
    }

    fn send(&self, message: AgentMessage) -> Result<(), WorkerGone> {
        self.0.cast(message).map_err(|_| WorkerGone)
    }
}

pub(crate) struct ExternalInstance;

pub(crate) struct ExternalArgs {
    pub place: Place,
    pub outbox: mpsc::Sender<ToWorker>,
    pub heartbeat_timeout: Duration,
}

pub(crate) struct ExternalState {
    books: Books<Assignment>,
    outbox: mpsc::Sender<ToWorker>,
    heartbeat_timeout: Duration,
    last_heard: Instant,
    heartbeat_timer: JoinHandle<()>,
}

/// How often an instance looks for its worker's silence: often enough that a silent worker is
/// noticed soon after its timeout, independent of how rarely leases are renewed.
fn heartbeat_check_every(heartbeat_timeout: Duration) -> Duration {
    (heartbeat_timeout / 2).clamp(Duration::from_millis(50), Duration::from_secs(1))
}

impl Held for Assignment {
    fn attempt(&self) -> i64 {
        self.attempt
    }
}

impl ExternalWorker {
    pub(crate) async fn start(args: ExternalArgs) -> Result<ExternalWorker, ractor::SpawnErr> {
        let (instance, _) = Actor::spawn(None, ExternalInstance, args).await?;
        Ok(ExternalWorker(instance))
    }
}

impl Actor for ExternalInstance {
    type Msg = AgentMessage;
    type State = ExternalState;
    type Arguments = ExternalArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: ExternalArgs,
    ) -> Result<ExternalState, ActorProcessingErr> {
        let renew_every = Duration::from_millis(args.place.settings.renew_ms);
        let books = Books::open(&myself, args.place, renew_every, 0);
        let heartbeat_timer = myself
            .send_interval(heartbeat_check_every(args.heartbeat_timeout), || {
                AgentMessage::CheckHeartbeat(Wire::new(()))
            });
        books.place.directory.wake(books.place.agent);
        Ok(ExternalState {
            books,
            outbox: args.outbox,
            heartbeat_timeout: args.heartbeat_timeout,
            last_heard: Instant::now(),
            heartbeat_timer,
        })
    }

    async fn post_stop(
        &self,
        _: ActorRef<Self::Msg>,
        state: &mut ExternalState,
    ) -> Result<(), ActorProcessingErr> {
        state.heartbeat_timer.abort();
        state.books.close().await;
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<Self::Msg>,
        message: AgentMessage,
        state: &mut ExternalState,
    ) -> Result<(), ActorProcessingErr> {
        let message = match message.decode() {
            Ok(message) => message,
            Err(error) => {
                tracing::warn!(%error, "an external worker's instance refused a message that did not decode");
                return Ok(());
            }
        };
        match message {
            Incoming::Run(assignment) => state.hand_over(assignment).await,
            Incoming::Report(report) => {
                state.last_heard = Instant::now();
                state.report(report);
            }
            Incoming::Heartbeat => state.last_heard = Instant::now(),
            Incoming::CheckHeartbeat => {
                if state.last_heard.elapsed() > state.heartbeat_timeout {
                    tracing::info!(
                        instance = state.books.place.instance,
                        "external worker stopped sending heartbeats"
                    );
                    myself.stop(Some("heartbeat timeout".into()));
                }
            }
            // A silent worker's leases are not extended: its attempts expire with it.
            Incoming::RenewLeases => {
                if state.last_heard.elapsed() <= state.heartbeat_timeout {
                    state.books.renew(myself);
                }
            }
            Incoming::LeaseLost(lost) => {
                let task_id = lost.task_id.clone();
                if state.books.end(lost).is_some() {
                    let _ = state.outbox.try_send(ToWorker::Cancel { task_id });
                }
            }
            Incoming::Status(reply) => {
                let _ = reply.send(Wire::new(state.books.status()));
            }
            Incoming::Ask(_, reply) => {
                let _ = reply.send(Wire::new(AgentReply::Refused(
                    "external workers take tasks only".into(),
                )));
            }
            Incoming::Tell(_) | Incoming::Ended(_) => {}
        }
        state.books.report_load();
        Ok(())
    }
}

impl ExternalState {
    async fn hand_over(&mut self, assignment: Assignment) {
        if !self.books.has_room()
            || self
                .outbox
                .try_send(ToWorker::Task(assignment.clone()))
                .is_err()
        {
            // The socket cannot take it now: the attempt goes back uncounted.
            let place = &self.books.place;
            let _ = empire_schema::models::Task::release(
                &place.db,
                &assignment.task_id,
                assignment.attempt,
            )
            .await;
            let attempt = TaskAttempt {
                task_id: assignment.task_id,
                attempt: assignment.attempt,
            };
            place
                .directory
                .released(place.agent, self.books.id, attempt);
            return;
        }
        self.books.place.directory.publish(Event::TaskStarted {
            task_id: assignment.task_id.clone(),
            agent: assignment.agent,
            attempt: assignment.number,
            instance: self.books.place.instance.clone(),
            node: self.books.place.node.clone(),
            website_id: assignment.website_id.clone(),
        });
        self.books.hold(assignment.task_id.clone(), assignment);
    }

    /// Stores the reported outcome, fenced by the attempt, off the actor. A worker names the
    /// attempt by its number (what it was sent); the fence is the held assignment's.
    fn report(&mut self, report: WorkerReport) {
        let fence = self
            .books
            .running
            .get(&report.task_id)
            .filter(|held| held.number == report.attempt)
            .map(|held| held.attempt);
        let held = fence.map(|fence| TaskAttempt {
            task_id: report.task_id.clone(),
            attempt: fence,
        });
        let Some(assignment) = held.and_then(|held| self.books.end(held)) else {
            tracing::info!(
                task_id = report.task_id,
                "a report for an attempt this worker does not hold; ignored"
            );
            return;
        };
        match &report.outcome {
            ReportOutcome::Output(_) => self.books.processed += 1,
            ReportOutcome::Error(_) => self.books.failed += 1,
        }
        let place = self.books.place.clone();
        tokio::spawn(async move {
            match report.outcome {
                ReportOutcome::Output(output) => {
                    attempt::record_success(&place, &assignment, output, 0).await;
                }
                ReportOutcome::Error(error) => {
                    attempt::record_failure(&place, &assignment, &error).await
                }
            }
        });
    }
}
