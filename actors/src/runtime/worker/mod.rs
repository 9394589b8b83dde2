//! An agent instance: runs the task attempts the dispatcher hands it (at most
//! `max_in_flight` at once), renews their leases, answers other agents, and reports status.
//! A panic in a task's work fails the instance, so its supervisor restarts it.

pub(crate) mod attempt;
mod requests;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use empire_schema::Db;
use empire_schema::models::Task;
use ractor::{Actor, ActorProcessingErr, ActorRef, pg};
use tokio::task::{AbortHandle, JoinHandle};

use super::config::TaskSettings;
use super::directory::Directory;
use super::events::Event;
use super::groups::agent_group;
use super::messages::{AgentMessage, AttemptEnded, InstanceStatus};
use super::metrics::{ASSIGNMENTS_REFUSED, TASKS_IN_FLIGHT};
use super::wire::Wire;
use crate::kinds::AgentId;

pub struct AgentWorker;

pub struct WorkerArgs {
    pub agent: AgentId,
    pub instance: String,
    pub node: String,
    pub scope: String,
    pub db: Db,
    pub directory: Directory,
    pub settings: TaskSettings,
    pub restarts: u64,
}

struct Running {
    attempt: i64,
    abort: AbortHandle,
}

pub struct WorkerState {
    args: WorkerArgs,
    id: ractor::ActorId,
    running: HashMap<String, Running>,
    processed: u64,
    failed: u64,
    messages_received: u64,
    last_activity: Option<DateTime<Utc>>,
    renew_timer: JoinHandle<()>,
}

impl Actor for AgentWorker {
    type Msg = AgentMessage;
    type State = WorkerState;
    type Arguments = WorkerArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: WorkerArgs,
    ) -> Result<WorkerState, ActorProcessingErr> {
        pg::join_scoped(
            args.scope.clone(),
            agent_group(args.agent),
            vec![myself.get_cell()],
        );
        let renew_every = std::time::Duration::from_millis(args.settings.renew_ms);
        let renew_timer =
            myself.send_interval(renew_every, || AgentMessage::RenewLeases(Wire::new(())));
        publish_status(&args, "idle");
        Ok(WorkerState {
            id: myself.get_id(),
            args,
            running: HashMap::new(),
            processed: 0,
            failed: 0,
            messages_received: 0,
            last_activity: None,
            renew_timer,
        })
    }

    async fn post_stop(
        &self,
        _: ActorRef<Self::Msg>,
        state: &mut WorkerState,
    ) -> Result<(), ActorProcessingErr> {
        state.renew_timer.abort();
        // Attempts this instance can no longer finish go back to the queue now, uncounted (the
        // instance stopped, not the task), rather than waiting for their leases to expire.
        for (task_id, running) in state.running.drain() {
            running.abort.abort();
            metrics::gauge!(TASKS_IN_FLIGHT, "agent" => state.args.agent.as_str()).decrement(1.0);
            if let Err(error) = Task::release(&state.args.db, &task_id, running.attempt).await {
                tracing::warn!(%error, task_id, "cannot release a task of a stopped instance; its lease will expire");
            }
            state.args.directory.wake(state.args.agent);
        }
        state.args.directory.forget(state.id);
        publish_status(&state.args, "stopped");
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<Self::Msg>,
        message: AgentMessage,
        state: &mut WorkerState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            AgentMessage::Run(assignment) => state.start(myself, assignment.into_inner()),
            AgentMessage::Ended(ended) => {
                let ended = state.ended(ended.into_inner());
                state.args.directory.set_load(state.id, state.running.len());
                return ended;
            }
            AgentMessage::Ask(request, reply) => {
                state.messages_received += 1;
                requests::answer(&state.args, request.into_inner(), reply);
            }
            AgentMessage::Tell(notice) => {
                state.messages_received += 1;
                requests::note(&state.args, notice.into_inner());
            }
            AgentMessage::Status(reply) => {
                let _ = reply.send(Wire::new(state.status()));
            }
            AgentMessage::RenewLeases(_) => state.renew(myself),
            AgentMessage::LeaseLost(lost) => state.lease_lost(lost.into_inner()),
            // Only external workers' sockets send these.
            AgentMessage::Report(_) | AgentMessage::Heartbeat(_) => {}
        }
        state.args.directory.set_load(state.id, state.running.len());
        Ok(())
    }
}

impl WorkerState {
    fn start(
        &mut self,
        myself: ActorRef<AgentMessage>,
        assignment: Result<super::messages::Assignment, String>,
    ) {
        let assignment = match assignment {
            Ok(assignment) => assignment,
            Err(error) => {
                tracing::error!(%error, "refused an assignment that did not decode");
                return;
            }
        };
        if self.running.len() >= self.args.settings.max_in_flight {
            // Dispatchers on other nodes hand work by loads reported a moment ago: when two
            // fill the same slot, the later attempt goes back to the queue, uncounted.
            self.refuse(assignment);
            return;
        }
        self.last_activity = Some(Utc::now());
        if self.running.is_empty() {
            publish_status(&self.args, "busy");
        }
        self.args.directory.publish(Event::TaskStarted {
            task_id: assignment.task_id.clone(),
            agent: assignment.agent.clone(),
            attempt: assignment.attempt,
            instance: self.args.instance.clone(),
            node: self.args.node.clone(),
            website_id: assignment.website_id.clone(),
        });
        metrics::gauge!(TASKS_IN_FLIGHT, "agent" => self.args.agent.as_str()).increment(1.0);
        let task_id = assignment.task_id.clone();
        let attempt = assignment.attempt;
        let context = attempt::Context {
            node: self.args.node.clone(),
            db: self.args.db.clone(),
            directory: self.args.directory.clone(),
            settings: self.args.settings.clone(),
            fault_injection: self.args.settings.fault_injection,
        };
        let handle = tokio::spawn(attempt::run(context, assignment, myself));
        self.running.insert(
            task_id,
            Running {
                attempt,
                abort: handle.abort_handle(),
            },
        );
    }

    fn refuse(&self, assignment: super::messages::Assignment) {
        metrics::counter!(ASSIGNMENTS_REFUSED, "agent" => self.args.agent.as_str()).increment(1);
        let (db, directory, agent, id) = (
            self.args.db.clone(),
            self.args.directory.clone(),
            self.args.agent,
            self.id,
        );
        tokio::spawn(async move {
            let task_id = assignment.task_id;
            if let Err(error) = Task::release(&db, &task_id, assignment.attempt).await {
                tracing::warn!(%error, task_id, "cannot give back a task; its lease will expire");
            }
            directory.released(agent, id, &task_id, assignment.attempt);
        });
    }

    fn ended(&mut self, ended: Result<AttemptEnded, String>) -> Result<(), ActorProcessingErr> {
        let ended = ended.map_err(|error| format!("bad attempt report: {error}"))?;
        // The same task may already run again here as a newer attempt: leave that one be.
        if self
            .running
            .get(&ended.task_id)
            .is_some_and(|running| running.attempt == ended.attempt)
        {
            self.running.remove(&ended.task_id);
            metrics::gauge!(TASKS_IN_FLIGHT, "agent" => self.args.agent.as_str()).decrement(1.0);
        }
        self.last_activity = Some(Utc::now());
        if ended.succeeded {
            self.processed += 1;
        } else {
            self.failed += 1;
        }
        if self.running.is_empty() {
            publish_status(&self.args, "idle");
        }
        self.args
            .directory
            .released(self.args.agent, self.id, &ended.task_id, ended.attempt);
        match ended.panic {
            // The attempt is already recorded as failed; failing the instance gets it restarted.
            Some(panic) => Err(format!("task {} panicked: {panic}", ended.task_id).into()),
            None => Ok(()),
        }
    }

    fn renew(&self, myself: ActorRef<AgentMessage>) {
        let held = self
            .running
            .iter()
            .map(|(id, run)| (id.clone(), run.attempt))
            .collect();
        super::leases::renew(&self.args.db, held, self.args.settings.lease_ms, myself);
    }

    /// Cancelled, or reaped after a stall: another attempt may own the task now.
    fn lease_lost(&mut self, lost: Result<(String, i64), String>) {
        let Ok((task_id, attempt)) = lost else { return };
        if self
            .running
            .get(&task_id)
            .is_some_and(|running| running.attempt == attempt)
            && let Some(running) = self.running.remove(&task_id)
        {
            running.abort.abort();
            metrics::gauge!(TASKS_IN_FLIGHT, "agent" => self.args.agent.as_str()).decrement(1.0);
            tracing::info!(task_id, "stopped an attempt that lost its lease");
            self.args
                .directory
                .released(self.args.agent, self.id, &task_id, attempt);
        }
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
            restarts: self.args.restarts,
            messages_received: self.messages_received,
            last_activity: self.last_activity,
        }
    }
}

fn publish_status(args: &WorkerArgs, status: &str) {
    args.directory.publish(Event::AgentStatus {
        agent: args.agent.as_str().to_owned(),
        instance: args.instance.clone(),
        status: status.to_owned(),
    });
}
