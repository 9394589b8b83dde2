//! An external worker: a process in any language, connected over a WebSocket, registered as an
//! instance of an agent type. The dispatcher hands it attempts like any instance; its results
//! are fenced like local ones; when it disconnects or stops sending heartbeats its attempts go
//! back to the queue.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use empire_schema::Db;
use empire_schema::models::Task;
use ractor::{Actor, ActorId, ActorProcessingErr, ActorRef, pg};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::config::TaskSettings;
use super::directory::Directory;
use super::events::Event;
use super::groups::agent_group;
use super::messages::{
    AgentMessage, AgentReply, Assignment, InstanceStatus, ReportOutcome, WorkerReport,
};
use super::wire::Wire;
use super::worker::attempt::{self, Context};
use crate::kinds::AgentId;

/// What the runtime sends down an external worker's socket.
#[derive(Debug, Clone, PartialEq)]
pub enum ToWorker {
    Task(Assignment),
    /// The attempt lost its lease (cancelled, or reaped): stop working on it.
    Cancel {
        task_id: String,
    },
}

pub struct ExternalWorker;

pub struct ExternalArgs {
    pub agent: AgentId,
    pub instance: String,
    pub node: String,
    pub scope: String,
    pub db: Db,
    pub directory: Directory,
    pub settings: TaskSettings,
    pub outbox: mpsc::Sender<ToWorker>,
    pub heartbeat_timeout: Duration,
}

pub struct ExternalState {
    args: ExternalArgs,
    id: ActorId,
    running: HashMap<String, Assignment>,
    processed: u64,
    failed: u64,
    last_heard: Instant,
    timer: JoinHandle<()>,
}

impl Actor for ExternalWorker {
    type Msg = AgentMessage;
    type State = ExternalState;
    type Arguments = ExternalArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: ExternalArgs,
    ) -> Result<ExternalState, ActorProcessingErr> {
        pg::join_scoped(
            args.scope.clone(),
            agent_group(args.agent),
            vec![myself.get_cell()],
        );
        let every = Duration::from_millis(args.settings.renew_ms.min(1_000));
        let timer = myself.send_interval(every, || AgentMessage::RenewLeases(Wire::new(())));
        args.directory.publish(Event::AgentStatus {
            agent: args.agent.as_str().to_owned(),
            instance: args.instance.clone(),
            status: "idle".into(),
        });
        args.directory.wake(args.agent);
        Ok(ExternalState {
            id: myself.get_id(),
            args,
            running: HashMap::new(),
            processed: 0,
            failed: 0,
            last_heard: Instant::now(),
            timer,
        })
    }

    async fn post_stop(
        &self,
        _: ActorRef<Self::Msg>,
        state: &mut ExternalState,
    ) -> Result<(), ActorProcessingErr> {
        state.timer.abort();
        for (task_id, assignment) in state.running.drain() {
            if let Err(error) = Task::release(&state.args.db, &task_id, assignment.attempt).await {
                tracing::warn!(%error, task_id, "cannot release an external worker's task; its lease will expire");
            }
            state
                .args
                .directory
                .released(state.args.agent, state.id, &task_id, assignment.attempt);
        }
        state.args.directory.forget(state.id);
        state.args.directory.publish(Event::AgentStatus {
            agent: state.args.agent.as_str().to_owned(),
            instance: state.args.instance.clone(),
            status: "stopped".into(),
        });
        state.args.directory.wake(state.args.agent);
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<Self::Msg>,
        message: AgentMessage,
        state: &mut ExternalState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            AgentMessage::Run(assignment) => state.hand_over(assignment.into_inner()).await,
            AgentMessage::Report(report) => {
                state.last_heard = Instant::now();
                if let Ok(report) = report.into_inner() {
                    state.report(report);
                }
            }
            AgentMessage::Heartbeat(_) => state.last_heard = Instant::now(),
            AgentMessage::RenewLeases(_) => {
                if state.last_heard.elapsed() > state.args.heartbeat_timeout {
                    tracing::info!(
                        instance = state.args.instance,
                        "external worker stopped sending heartbeats"
                    );
                    myself.stop(Some("heartbeat timeout".into()));
                } else {
                    state.renew(myself);
                }
            }
            AgentMessage::LeaseLost(lost) => {
                if let Ok((task_id, attempt)) = lost.into_inner()
                    && state
                        .running
                        .get(&task_id)
                        .is_some_and(|running| running.attempt == attempt)
                {
                    state.running.remove(&task_id);
                    state
                        .args
                        .directory
                        .released(state.args.agent, state.id, &task_id, attempt);
                    let _ = state.args.outbox.try_send(ToWorker::Cancel { task_id });
                }
            }
            AgentMessage::Status(reply) => {
                let _ = reply.send(Wire::new(state.status()));
            }
            AgentMessage::Ask(_, reply) => {
                let _ = reply.send(Wire::new(AgentReply::Refused(
                    "external workers take tasks only".into(),
                )));
            }
            AgentMessage::Tell(_) | AgentMessage::Ended(_) => {}
        }
        state.args.directory.set_load(state.id, state.running.len());
        Ok(())
    }
}

impl ExternalState {
    async fn hand_over(&mut self, assignment: Result<Assignment, String>) {
        let Ok(assignment) = assignment else { return };
        let full = self.running.len() >= self.args.settings.max_in_flight;
        if full
            || self
                .args
                .outbox
                .try_send(ToWorker::Task(assignment.clone()))
                .is_err()
        {
            // The socket cannot take it now: the attempt goes back uncounted.
            let _ = Task::release(&self.args.db, &assignment.task_id, assignment.attempt).await;
            self.args.directory.released(
                self.args.agent,
                self.id,
                &assignment.task_id,
                assignment.attempt,
            );
            return;
        }
        self.args.directory.publish(Event::TaskStarted {
            task_id: assignment.task_id.clone(),
            agent: assignment.agent.clone(),
            attempt: assignment.attempt,
            instance: self.args.instance.clone(),
            node: self.args.node.clone(),
            website_id: assignment.website_id.clone(),
        });
        self.running.insert(assignment.task_id.clone(), assignment);
    }

    /// Stores the reported outcome, fenced by the attempt, off the actor.
    fn report(&mut self, report: WorkerReport) {
        let Some(assignment) = self
            .running
            .get(&report.task_id)
            .filter(|a| a.attempt == report.attempt)
            .cloned()
        else {
            tracing::info!(
                task_id = report.task_id,
                "a report for an attempt this worker does not hold; ignored"
            );
            return;
        };
        self.running.remove(&report.task_id);
        match &report.outcome {
            ReportOutcome::Output(_) => self.processed += 1,
            ReportOutcome::Error(_) => self.failed += 1,
        }
        self.args
            .directory
            .released(self.args.agent, self.id, &report.task_id, report.attempt);
        let context = Context {
            node: self.args.node.clone(),
            db: self.args.db.clone(),
            directory: self.args.directory.clone(),
            settings: self.args.settings.clone(),
            fault_injection: false,
        };
        tokio::spawn(async move {
            match report.outcome {
                ReportOutcome::Output(output) => {
                    attempt::record_success(&context, &assignment, output, 0).await;
                }
                ReportOutcome::Error(error) => {
                    attempt::record_failure(&context, &assignment, &error).await
                }
            }
        });
    }

    fn renew(&self, myself: ActorRef<AgentMessage>) {
        let held = self
            .running
            .values()
            .map(|a| (a.task_id.clone(), a.attempt))
            .collect();
        super::leases::renew(&self.args.db, held, self.args.settings.lease_ms, myself);
    }

    fn status(&self) -> InstanceStatus {
        InstanceStatus {
            agent: self.args.agent.as_str().to_owned(),
            instance: self.args.instance.clone(),
            node: self.args.node.clone(),
            status: if self.running.is_empty() {
                "idle"
            } else {
                "busy"
            }
            .to_owned(),
            current_tasks: self.running.keys().cloned().collect(),
            in_flight: self.running.len(),
            max_in_flight: self.args.settings.max_in_flight,
            processed: self.processed,
            failed: self.failed,
            restarts: 0,
            messages_received: 0,
            last_activity: Some(Utc::now()),
        }
    }
}
