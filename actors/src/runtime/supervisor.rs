//! The root supervisor: starts the event bus, the dispatcher, the reaper and every agent
//! instance this node hosts, and restarts a failed instance with exponential backoff.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use empire_schema::Db;
use ractor::{Actor, ActorCell, ActorId, ActorProcessingErr, ActorRef, SupervisionEvent};
use ractor_cluster::RactorMessage;

use super::config::RuntimeConfig;
use super::directory::Directory;
use super::dispatcher::{Dispatcher, DispatcherArgs};
use super::events::{EventBus, EventBusArgs};
use super::metrics::RESTARTS;
use super::reaper::{Reaper, ReaperArgs};
use super::worker::{AgentWorker, WorkerArgs};
use crate::kinds::AgentId;

/// An instance that ran this long before failing starts its backoff over.
const STABLE_AFTER: Duration = Duration::from_secs(30);

pub struct Supervisor;

pub struct SupervisorArgs {
    pub config: RuntimeConfig,
    pub db: Db,
    pub directory: Directory,
}

/// One instance position: agent type and index, with its restart history.
#[derive(Debug, Clone)]
pub struct Slot {
    agent: AgentId,
    index: usize,
    restarts: u64,
    failures_in_row: u32,
    started: Instant,
}

enum Child {
    Bus,
    Dispatcher,
    Reaper,
    Worker(Slot),
}

pub struct SupervisorState {
    args: SupervisorArgs,
    children: HashMap<ActorId, Child>,
}

#[derive(RactorMessage)]
pub enum SupervisorMessage {
    Restart(Slot),
}

impl Actor for Supervisor {
    type Msg = SupervisorMessage;
    type State = SupervisorState;
    type Arguments = SupervisorArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: SupervisorArgs,
    ) -> Result<SupervisorState, ActorProcessingErr> {
        let mut state = SupervisorState {
            args,
            children: HashMap::new(),
        };
        let cell = myself.get_cell();
        state.start_bus(&cell).await?;
        state.start_dispatcher(&cell).await?;
        state.start_reaper(&cell).await?;
        for agent in AgentId::ALL {
            for index in 0..state.args.config.agents.of(agent) {
                let slot = Slot {
                    agent,
                    index,
                    restarts: 0,
                    failures_in_row: 0,
                    started: Instant::now(),
                };
                state.start_worker(&cell, slot).await?;
            }
        }
        Ok(state)
    }

    async fn handle(
        &self,
        myself: ActorRef<Self::Msg>,
        message: SupervisorMessage,
        state: &mut SupervisorState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            SupervisorMessage::Restart(slot) => {
                state.start_worker(&myself.get_cell(), slot).await?
            }
        }
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<Self::Msg>,
        event: SupervisionEvent,
        state: &mut SupervisorState,
    ) -> Result<(), ActorProcessingErr> {
        let (cell, reason) = match event {
            SupervisionEvent::ActorFailed(cell, error) => (cell, error.to_string()),
            // A clean stop happens only on shutdown: nothing to restart.
            SupervisionEvent::ActorTerminated(cell, ..) => {
                state.children.remove(&cell.get_id());
                return Ok(());
            }
            _ => return Ok(()),
        };
        let Some(child) = state.children.remove(&cell.get_id()) else {
            return Ok(());
        };
        let supervisor = myself.get_cell();
        match child {
            Child::Bus => {
                tracing::error!(reason, "the event bus failed; restarting it");
                state.start_bus(&supervisor).await?;
            }
            Child::Dispatcher => {
                tracing::error!(reason, "the dispatcher failed; restarting it");
                state.start_dispatcher(&supervisor).await?;
            }
            Child::Reaper => {
                tracing::error!(reason, "the reaper failed; restarting it");
                state.start_reaper(&supervisor).await?;
            }
            Child::Worker(slot) => state.schedule_restart(&myself, slot, &reason),
        }
        Ok(())
    }
}

impl SupervisorState {
    async fn start_bus(&mut self, supervisor: &ActorCell) -> Result<(), ActorProcessingErr> {
        let args = EventBusArgs {
            capacity: self.args.config.tasks.event_log_capacity,
            scope: self.args.config.scope.clone(),
        };
        let (bus, _) = Actor::spawn_linked(None, EventBus, args, supervisor.clone()).await?;
        self.args.directory.set_bus(bus.clone());
        self.children.insert(bus.get_id(), Child::Bus);
        Ok(())
    }

    async fn start_dispatcher(&mut self, supervisor: &ActorCell) -> Result<(), ActorProcessingErr> {
        let args = DispatcherArgs {
            node: self.args.config.node.clone(),
            scope: self.args.config.scope.clone(),
            db: self.args.db.clone(),
            settings: self.args.config.tasks.clone(),
            directory: self.args.directory.clone(),
        };
        let (dispatcher, _) =
            Actor::spawn_linked(None, Dispatcher, args, supervisor.clone()).await?;
        self.args.directory.set_dispatcher(dispatcher.clone());
        self.children.insert(dispatcher.get_id(), Child::Dispatcher);
        Ok(())
    }

    async fn start_reaper(&mut self, supervisor: &ActorCell) -> Result<(), ActorProcessingErr> {
        let args = ReaperArgs {
            db: self.args.db.clone(),
            directory: self.args.directory.clone(),
            every: Duration::from_millis(self.args.config.tasks.reap_ms),
            metrics_every: Duration::from_millis(self.args.config.tasks.metrics_event_ms),
        };
        let (reaper, _) = Actor::spawn_linked(None, Reaper, args, supervisor.clone()).await?;
        self.children.insert(reaper.get_id(), Child::Reaper);
        Ok(())
    }

    async fn start_worker(
        &mut self,
        supervisor: &ActorCell,
        mut slot: Slot,
    ) -> Result<(), ActorProcessingErr> {
        slot.started = Instant::now();
        let args = WorkerArgs {
            agent: slot.agent,
            instance: format!(
                "{}/{}-{}",
                self.args.config.node,
                slot.agent.as_str(),
                slot.index
            ),
            node: self.args.config.node.clone(),
            scope: self.args.config.scope.clone(),
            db: self.args.db.clone(),
            directory: self.args.directory.clone(),
            settings: self.args.config.tasks.clone(),
            restarts: slot.restarts,
        };
        let (worker, _) = Actor::spawn_linked(None, AgentWorker, args, supervisor.clone()).await?;
        self.children
            .insert(worker.get_id(), Child::Worker(slot.clone()));
        // The new instance has room: let the dispatcher use it.
        self.args.directory.wake(slot.agent);
        Ok(())
    }

    fn schedule_restart(
        &mut self,
        myself: &ActorRef<SupervisorMessage>,
        mut slot: Slot,
        reason: &str,
    ) {
        if slot.started.elapsed() > STABLE_AFTER {
            slot.failures_in_row = 0;
        }
        let settings = &self.args.config.tasks;
        let factor = 2u64.saturating_pow(slot.failures_in_row.min(16));
        let backoff = Duration::from_millis(
            settings
                .restart_backoff_ms
                .saturating_mul(factor)
                .min(settings.restart_backoff_max_ms),
        );
        slot.failures_in_row += 1;
        slot.restarts += 1;
        metrics::counter!(RESTARTS, "agent" => slot.agent.as_str()).increment(1);
        tracing::warn!(
            agent = slot.agent.as_str(),
            index = slot.index,
            reason,
            backoff_ms = backoff.as_millis() as u64,
            "agent instance failed; restarting"
        );
        myself.send_after(backoff, move || SupervisorMessage::Restart(slot));
    }
}
