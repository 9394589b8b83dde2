//! The dispatcher: claims queued tasks from the store — only as many as this node's instances
//! have room for — and hands each to the least-loaded instance of its agent type. Queued work
//! waits in the table, never in mailboxes.

use std::collections::{BTreeSet, HashMap};

use chrono::Duration;
use empire_schema::Db;
use empire_schema::models::Task;
use ractor::{Actor, ActorId, ActorProcessingErr, ActorRef};
use ractor_cluster::RactorMessage;
use tokio::task::JoinHandle;

use super::config::TaskSettings;
use super::directory::Directory;
use super::groups;
use super::messages::{AgentMessage, Assignment};
use super::metrics::TASKS_CLAIMED;
use super::wire::Wire;
use crate::kinds::AgentId;

pub struct Dispatcher;

pub struct DispatcherArgs {
    pub node: String,
    pub scope: String,
    pub db: Db,
    pub settings: TaskSettings,
    /// Where the dispatcher publishes instance loads, for routing agent messages.
    pub directory: Directory,
}

/// Attempts handed to one instance and not yet released: task id → attempt.
type Handed = HashMap<String, i64>;

pub struct DispatcherState {
    args: DispatcherArgs,
    /// Per agent: attempts handed to each instance and not yet released.
    handed: HashMap<AgentId, HashMap<ActorId, Handed>>,
    /// Agents to look at in the next round; a round is scheduled while this is non-empty.
    pending: BTreeSet<AgentId>,
    poll_timer: JoinHandle<()>,
}

#[derive(RactorMessage)]
pub enum DispatcherMessage {
    /// Queued work may exist for this agent.
    Wake(AgentId),
    /// An instance finished an attempt.
    Released {
        agent: AgentId,
        instance: ActorId,
        task_id: String,
    },
    /// Look at every agent (the periodic poll catches work queued by other nodes).
    Poll,
    /// Run the round scheduled by the messages above; several wake-ups share one round.
    Dispatch,
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
                task_id,
            } => {
                if let Some(handed) = state
                    .handed
                    .get_mut(&agent)
                    .and_then(|handed| handed.get_mut(&instance))
                {
                    handed.remove(&task_id);
                    state.args.directory.set_load(instance, handed.len());
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
        let instances = groups::local_members(&self.args.scope, agent);
        let max = self.args.settings.max_in_flight;
        let handed = self.handed.entry(agent).or_default();
        // An instance that stopped may not have seen what was in its mailbox: give those
        // attempts back. The fence leaves alone any it did finish or release.
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
        let mut slots: Vec<(usize, ActorId, ActorRef<AgentMessage>)> = instances
            .into_iter()
            .map(|instance| {
                let id = instance.get_id();
                (handed.get(&id).map_or(0, HashMap::len), id, instance)
            })
            .collect();
        let room: usize = slots
            .iter()
            .map(|(load, ..)| max.saturating_sub(*load))
            .sum();
        if room == 0 {
            return;
        }
        let lease_until = empire_schema::clock::now()
            + Duration::milliseconds(
                i64::try_from(self.args.settings.lease_ms).unwrap_or(i64::MAX / 2),
            );
        let limit = i64::try_from(room).unwrap_or(i64::MAX);
        let claimed = match Task::claim_next(
            &self.args.db,
            agent.as_str(),
            &self.args.node,
            lease_until,
            limit,
        )
        .await
        {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::warn!(%error, agent = agent.as_str(), "cannot claim tasks");
                return;
            }
        };
        metrics::counter!(TASKS_CLAIMED, "agent" => agent.as_str()).increment(claimed.len() as u64);
        for task in claimed {
            slots.sort_by_key(|(load, ..)| *load);
            let Some((load, id, instance)) = slots.first_mut().filter(|(load, ..)| *load < max)
            else {
                // Cannot happen: we claimed no more than the room. Let the lease expire safely.
                tracing::error!(task_id = task.id, "claimed a task with no room for it");
                continue;
            };
            let assignment = assignment_of(task);
            let task_id = assignment.task_id.clone();
            let attempt = assignment.attempt;
            if instance
                .cast(AgentMessage::Run(Wire::new(assignment)))
                .is_err()
            {
                // The instance died between lookup and hand-over: give the attempt back uncounted.
                if let Err(error) = Task::release(&self.args.db, &task_id, attempt).await {
                    tracing::warn!(%error, task_id, "cannot release a task; its lease will expire");
                }
                continue;
            }
            *load += 1;
            self.handed
                .entry(agent)
                .or_default()
                .entry(*id)
                .or_default()
                .insert(task_id, attempt);
            self.args.directory.set_load(*id, *load);
        }
    }
}

fn assignment_of(task: Task) -> Assignment {
    Assignment {
        queued_at_ms: task.created_at.and_utc().timestamp_millis(),
        timeout_ms: u64::try_from(task.timeout_ms).unwrap_or(60_000),
        task_id: task.id,
        agent: task.agent,
        kind: task.kind,
        input: task.input.0,
        attempt: task.attempts,
        workflow_id: task.workflow_id,
    }
}
