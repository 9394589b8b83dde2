//! The dispatcher: claims queued tasks from the store — only as many as the instances of the
//! cluster have room for, by their reported loads — and hands each to the least-loaded
//! instance of its agent type, on this node or another. Queued work waits in the table,
//! never in mailboxes.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use chrono::Duration;
use empire_schema::models::Task;
use empire_schema::{AgentId, Db};
use ractor::{Actor, ActorId, ActorProcessingErr, ActorRef};
use tokio::task::JoinHandle;

use super::config::TaskSettings;
use crate::plumbing::control::DispatcherMessage;
use crate::plumbing::directory::Directory;
use crate::plumbing::groups;
use crate::plumbing::messages::{AgentMessage, Assignment};
use crate::plumbing::metrics::TASKS_CLAIMED;
use crate::plumbing::wire::Wire;

pub(crate) struct Dispatcher;

pub(crate) struct DispatcherArgs {
    pub node: String,
    pub scope: String,
    pub db: Db,
    pub settings: TaskSettings,
    /// Where the dispatcher publishes instance loads, for routing agent messages.
    pub directory: Directory,
}

/// Attempts handed to one instance and not yet released: task id → attempt.
type Handed = HashMap<String, i64>;

pub(crate) struct DispatcherState {
    args: DispatcherArgs,
    /// Per agent: attempts handed to each instance and not yet released.
    handed: HashMap<AgentId, HashMap<ActorId, Handed>>,
    /// When this dispatcher last sent work to each remote instance (pruned by its reports).
    sent: HashMap<ActorId, Vec<Instant>>,
    /// Agents to look at in the next round; a round is scheduled while this is non-empty.
    pending: BTreeSet<AgentId>,
    poll_timer: JoinHandle<()>,
}

impl Actor for Dispatcher {
    type Msg = DispatcherMessage;
    type State = DispatcherState;
    type Arguments = DispatcherArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: DispatcherArgs,
    ) -> Result<DispatcherState, ActorProcessingErr> {
        let every = std::time::Duration::from_millis(args.settings.poll_ms);
        let poll_timer = myself.send_interval(every, || DispatcherMessage::Poll);
        Ok(DispatcherState {
            args,
            handed: HashMap::new(),
            sent: HashMap::new(),
            pending: AgentId::ALL.into_iter().collect(),
            poll_timer,
        })
    }

    async fn post_start(
        &self,
        myself: ActorRef<Self::Msg>,
        _: &mut DispatcherState,
    ) -> Result<(), ActorProcessingErr> {
        let _ = myself.cast(DispatcherMessage::Dispatch);
        Ok(())
    }

    async fn post_stop(
        &self,
        _: ActorRef<Self::Msg>,
        state: &mut DispatcherState,
    ) -> Result<(), ActorProcessingErr> {
        state.poll_timer.abort();
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<Self::Msg>,
        message: DispatcherMessage,
        state: &mut DispatcherState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            DispatcherMessage::Wake(agent) => state.schedule(&myself, [agent]),
            DispatcherMessage::Released {
                agent,
                instance,
                attempt,
            } => {
                if let Some(handed) = state
                    .handed
                    .get_mut(&agent)
                    .and_then(|handed| handed.get_mut(&instance))
                    && handed.get(&attempt.task_id) == Some(&attempt.attempt)
                {
                    handed.remove(&attempt.task_id);
                }
                state.schedule(&myself, [agent]);
            }
            DispatcherMessage::Poll => state.schedule(&myself, AgentId::ALL),
            DispatcherMessage::Dispatch => {
                let agents = std::mem::take(&mut state.pending);
                for agent in agents {
                    state.dispatch(agent).await;
                }
            }
        }
        Ok(())
    }
}

impl DispatcherState {
    fn schedule(
        &mut self,
        myself: &ActorRef<DispatcherMessage>,
        agents: impl IntoIterator<Item = AgentId>,
    ) {
        let idle = self.pending.is_empty();
        self.pending.extend(agents);
        if idle && !self.pending.is_empty() {
            let _ = myself.cast(DispatcherMessage::Dispatch);
        }
    }

    async fn dispatch(&mut self, agent: AgentId) {
        let instances = groups::members(&self.args.scope, agent);
        self.give_back_stopped(agent, &instances).await;
        let max = self.args.settings.max_in_flight;
        let mut candidates: Vec<Candidate> = instances
            .into_iter()
            .filter_map(|instance| self.candidate(agent, instance))
            .collect();
        let room: usize = candidates
            .iter()
            .map(|candidate| max.saturating_sub(candidate.load))
            .sum();
        if room == 0 {
            return;
        }
        let lease = Duration::milliseconds(
            i64::try_from(self.args.settings.lease_ms).unwrap_or(i64::MAX / 2),
        );
        let limit = i64::try_from(room).unwrap_or(i64::MAX);
        let claimed =
            match Task::claim_next(&self.args.db, agent, &self.args.node, lease, limit).await {
                Ok(claimed) => claimed,
                Err(error) => {
                    tracing::warn!(%error, agent = agent.as_str(), "cannot claim tasks");
                    return;
                }
            };
        metrics::counter!(TASKS_CLAIMED, "agent" => agent.as_str()).increment(claimed.len() as u64);
        for task in claimed {
            // Least loaded first; on a tie, an instance on this node.
            candidates.sort_by_key(|candidate| (candidate.load, !candidate.id.is_local()));
            let Some(chosen) = candidates
                .first_mut()
                .filter(|candidate| candidate.load < max)
            else {
                // Cannot happen: we claimed no more than the room. Let the lease expire safely.
                tracing::error!(task_id = task.id, "claimed a task with no room for it");
                continue;
            };
            let assignment = assignment_of(task);
            let task_id = assignment.task_id.clone();
            let attempt = assignment.attempt;
            if chosen
                .instance
                .cast(AgentMessage::Run(Wire::new(assignment)))
                .is_err()
            {
                // Not sent (the instance or its node's link is gone): give it back uncounted.
                if let Err(error) = Task::release(&self.args.db, &task_id, attempt).await {
                    tracing::warn!(%error, task_id, "cannot release a task; its lease will expire");
                }
                continue;
            }
            chosen.load += 1;
            if chosen.id.is_local() {
                self.handed
                    .entry(agent)
                    .or_default()
                    .entry(chosen.id)
                    .or_default()
                    .insert(task_id, attempt);
            } else {
                self.sent.entry(chosen.id).or_default().push(Instant::now());
            }
        }
    }

    /// An instance's load as this dispatcher sees it; None for a remote instance whose node
    /// is not reporting (unreachable, or not trusted).
    fn candidate(&mut self, agent: AgentId, instance: ActorRef<AgentMessage>) -> Option<Candidate> {
        let id = instance.get_id();
        let load = if id.is_local() {
            let handed = self
                .handed
                .get(&agent)
                .and_then(|handed| handed.get(&id))
                .map_or(0, HashMap::len);
            // Other nodes' dispatchers may have handed it work too: its own report counts them.
            handed.max(self.args.directory.load(id))
        } else {
            let report = self.args.directory.reported(id)?;
            // Sent since its last report, so not yet in it.
            let sent = self.sent.entry(id).or_default();
            sent.retain(|at| *at > report.at);
            // Plus one: a slot that frees up on its node is usually refilled at once by that
            // node's own dispatcher, before the report reaches us. Without this, under full
            // load most cross-node hand-overs would find the slot taken and be given back.
            report.in_flight + sent.len() + 1
        };
        Some(Candidate { load, id, instance })
    }

    /// A local instance that stopped may not have seen what was in its mailbox: give those
    /// attempts back. The fence leaves alone any it did finish or release. (Remote instances
    /// are never released from here: their node may still be running them; leases decide.)
    async fn give_back_stopped(&mut self, agent: AgentId, instances: &[ActorRef<AgentMessage>]) {
        self.sent
            .retain(|id, _| instances.iter().any(|i| i.get_id() == *id));
        let handed = self.handed.entry(agent).or_default();
        let gone: Vec<ActorId> = handed
            .keys()
            .filter(|id| !instances.iter().any(|i| i.get_id() == **id))
            .copied()
            .collect();
        for id in gone {
            for (task_id, attempt) in handed.remove(&id).unwrap_or_default() {
                if let Ok(true) = Task::release(&self.args.db, &task_id, attempt).await {
                    tracing::info!(
                        task_id,
                        "released an attempt a stopped instance never started"
                    );
                }
            }
        }
    }
}

/// An instance that may take work, with its load.
struct Candidate {
    load: usize,
    id: ActorId,
    instance: ActorRef<AgentMessage>,
}

fn assignment_of(task: Task) -> Assignment {
    Assignment {
        website_id: crate::kinds::website_of(&task.input.0),
        queued_at_ms: task.created_at.and_utc().timestamp_millis(),
        timeout_ms: u64::try_from(task.timeout_ms).unwrap_or(60_000),
        task_id: task.id,
        agent: task.agent,
        kind: task.kind,
        input: task.input.0,
        attempt: task.fence,
        number: task.attempts,
        workflow_id: task.workflow_id,
    }
}
