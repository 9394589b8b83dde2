//! The root supervisor: starts the event bus, the dispatcher, the reaper and every agent
//! instance this node hosts, and restarts a failed instance with exponential backoff.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use empire_schema::{AgentId, Db};
use ractor::{Actor, ActorCell, ActorId, ActorProcessingErr, ActorRef, SupervisionEvent};
use ractor_cluster::RactorMessage;

use super::books::Place;
use super::bus::{EventBus, EventBusArgs, Relay};
use super::config::RuntimeConfig;
use super::dispatcher::{Dispatcher, DispatcherArgs};
use super::instance::{AgentInstance, InstanceArgs};
use super::reaper::{Reaper, ReaperArgs};
use crate::plumbing::directory::Directory;
use crate::plumbing::metrics::RESTARTS;
use crate::services::Services;

/// An instance that ran this long before failing starts its backoff over.
const STABLE_AFTER: Duration = Duration::from_secs(30);

pub(crate) struct Supervisor;

pub(crate) struct SupervisorArgs {
    pub config: RuntimeConfig,
    pub db: Db,
    pub directory: Directory,
    pub relay: Relay,
    pub services: Services,
}

/// One instance's position: agent type and index, with its restart history.
#[derive(Debug, Clone)]
pub(crate) struct Position {
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
    Instance(Position),
}

pub(crate) struct SupervisorState {
    args: SupervisorArgs,
    children: HashMap<ActorId, Child>,
}

#[derive(RactorMessage)]
pub(crate) enum SupervisorMessage {
    Restart(Position),
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
                let position = Position {
                    agent,
                    index,
                    restarts: 0,
                    failures_in_row: 0,
                    started: Instant::now(),
                };
                state.start_instance(&cell, position).await?;
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
            SupervisorMessage::Restart(position) => {
                state.start_instance(&myself.get_cell(), position).await?
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
            Child::Instance(position) => state.schedule_restart(&myself, position, &reason),
        }
        Ok(())
    }
}

impl SupervisorState {
    async fn start_bus(&mut self, supervisor: &ActorCell) -> Result<(), ActorProcessingErr> {
        let args = EventBusArgs {
            capacity: self.args.config.tasks.event_log_capacity,
            relay: self.args.relay.clone(),
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

    async fn start_instance(
        &mut self,
        supervisor: &ActorCell,
        mut position: Position,
    ) -> Result<(), ActorProcessingErr> {
        position.started = Instant::now();
        let config = &self.args.config;
        let place = Place {
            agent: position.agent,
            instance: format!(
                "{}/{}-{}",
                config.node,
                position.agent.as_str(),
                position.index
            ),
            node: config.node.clone(),
            scope: config.scope.clone(),
            db: self.args.db.clone(),
            directory: self.args.directory.clone(),
            settings: config.tasks.clone(),
            services: self.args.services.clone(),
        };
        let args = InstanceArgs {
            place,
            restarts: position.restarts,
        };
        let (instance, _) =
            Actor::spawn_linked(None, AgentInstance, args, supervisor.clone()).await?;
        let agent = position.agent;
        self.children
            .insert(instance.get_id(), Child::Instance(position));
        // The new instance has room: let the dispatcher use it.
        self.args.directory.wake(agent);
        Ok(())
    }

    fn schedule_restart(
        &mut self,
        myself: &ActorRef<SupervisorMessage>,
        mut position: Position,
        reason: &str,
    ) {
        if position.started.elapsed() > STABLE_AFTER {
            position.failures_in_row = 0;
        }
        let settings = &self.args.config.tasks;
        let factor = 2u64.saturating_pow(position.failures_in_row.min(16));
        let backoff = Duration::from_millis(
            settings
                .restart_backoff_ms
                .saturating_mul(factor)
                .min(settings.restart_backoff_max_ms),
        );
        position.failures_in_row += 1;
        position.restarts += 1;
        metrics::counter!(RESTARTS, "agent" => position.agent.as_str()).increment(1);
        tracing::warn!(
            agent = position.agent.as_str(),
            index = position.index,
            reason,
            backoff_ms = backoff.as_millis() as u64,
            "agent instance failed; restarting"
        );
        myself.send_after(backoff, move || SupervisorMessage::Restart(position));
    }
}
