//! What every agent instance keeps and does the same way, whether it runs the work itself or
//! hands it to an external worker's socket: its place in its agent's process group, its
//! attempts in flight and their lease renewal, its counters and status, and giving its
//! attempts back to the queue when it stops.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use empire_schema::models::Task;
use empire_schema::{AgentId, Db};
use ractor::{ActorId, ActorRef, pg};
use tokio::task::JoinHandle;

use super::config::TaskSettings;
use super::leases;
use crate::plumbing::directory::Directory;
use crate::plumbing::event::{Event, InstanceState};
use crate::plumbing::groups::agent_group;
use crate::plumbing::messages::{AgentMessage, InstanceStatus, TaskAttempt};
use crate::plumbing::metrics::TASKS_IN_FLIGHT;
use crate::plumbing::wire::Wire;
use crate::services::Services;

/// Who an instance is and what it works with.
#[derive(Clone)]
pub(crate) struct Place {
    pub agent: AgentId,
    /// The name it reports, e.g. `node-1/seo_optimizer-0`.
    pub instance: String,
    pub node: String,
    pub scope: String,
    pub db: Db,
    pub directory: Directory,
    pub settings: TaskSettings,
    /// What service kinds use.
    pub services: Services,
}

/// An attempt an instance holds.
pub(crate) trait Held {
    fn attempt(&self) -> i64;
    /// Stops the work, when this instance does it.
    fn abort(&self) {}
}

pub(crate) struct Books<H: Held> {
    pub place: Place,
    pub id: ActorId,
    /// Task id → the attempt held.
    pub running: HashMap<String, H>,
    pub processed: u64,
    pub failed: u64,
    pub messages_received: u64,
    pub restarts: u64,
    pub last_activity: Option<DateTime<Utc>>,
    renew_timer: JoinHandle<()>,
}

impl<H: Held> Books<H> {
    /// Joins the agent's process group and starts renewing leases every `renew_every`.
    pub fn open(
        myself: &ActorRef<AgentMessage>,
        place: Place,
        renew_every: Duration,
        restarts: u64,
    ) -> Books<H> {
        pg::join_scoped(
            place.scope.clone(),
            agent_group(place.agent),
            vec![myself.get_cell()],
        );
        let renew_timer =
            myself.send_interval(renew_every, || AgentMessage::RenewLeases(Wire::new(())));
        let books = Books {
            place,
            id: myself.get_id(),
            running: HashMap::new(),
            processed: 0,
            failed: 0,
            messages_received: 0,
            restarts,
            last_activity: None,
            renew_timer,
        };
        books.announce(InstanceState::Idle);
        books
    }

    /// Whether another attempt fits.
    pub fn has_room(&self) -> bool {
        self.running.len() < self.place.settings.max_in_flight
    }

    /// Holds a new attempt.
    pub fn hold(&mut self, task_id: String, held: H) {
        if self.running.is_empty() {
            self.announce(InstanceState::Busy);
        }
        self.last_activity = Some(Utc::now());
        metrics::gauge!(TASKS_IN_FLIGHT, "agent" => self.place.agent.as_str()).increment(1.0);
        self.running.insert(task_id, held);
    }

    /// Lets go of `attempt` if it is the one held (the same task may run again as a newer
    /// attempt: that one is left be), and tells the dispatcher there is room.
    pub fn end(&mut self, attempt: TaskAttempt) -> Option<H> {
        let held = self
            .running
            .get(&attempt.task_id)
            .is_some_and(|held| held.attempt() == attempt.attempt)
            .then(|| self.running.remove(&attempt.task_id))
            .flatten();
        if held.is_some() {
            metrics::gauge!(TASKS_IN_FLIGHT, "agent" => self.place.agent.as_str()).decrement(1.0);
            if self.running.is_empty() {
                self.announce(InstanceState::Idle);
            }
        }
        self.last_activity = Some(Utc::now());
        self.place
            .directory
            .released(self.place.agent, self.id, attempt);
        held
    }

    /// Extends the leases of every attempt held, off the actor.
    pub fn renew(&self, myself: ActorRef<AgentMessage>) {
        let held = self
            .running
            .iter()
            .map(|(task_id, held)| TaskAttempt {
                task_id: task_id.clone(),
                attempt: held.attempt(),
            })
            .collect();
        leases::renew(&self.place.db, held, self.place.settings.lease_ms, myself);
    }

    /// Tells the directory how many attempts run here, for routing.
    pub fn report_load(&self) {
        self.place.directory.set_load(self.id, self.running.len());
    }

    pub fn status(&self) -> InstanceStatus {
        InstanceStatus {
            agent: self.place.agent,
            instance: self.place.instance.clone(),
            node: self.place.node.clone(),
            status: self.state(),
            current_tasks: self.running.keys().cloned().collect(),
            in_flight: self.running.len(),
            max_in_flight: self.place.settings.max_in_flight,
            processed: self.processed,
            failed: self.failed,
            restarts: self.restarts,
            messages_received: self.messages_received,
            last_activity: self.last_activity,
        }
    }

    /// Attempts this instance can no longer finish go back to the queue now, uncounted (the
    /// instance stopped, not the task), rather than waiting for their leases to expire.
    pub async fn close(&mut self) {
        self.renew_timer.abort();
        for (task_id, held) in std::mem::take(&mut self.running) {
            held.abort();
            metrics::gauge!(TASKS_IN_FLIGHT, "agent" => self.place.agent.as_str()).decrement(1.0);
            if let Err(error) = Task::release(&self.place.db, &task_id, held.attempt()).await {
                tracing::warn!(%error, task_id, "cannot release a task of a stopped instance; its lease will expire");
            }
            let attempt = TaskAttempt {
                attempt: held.attempt(),
                task_id,
            };
            self.place
                .directory
                .released(self.place.agent, self.id, attempt);
        }
        self.place.directory.forget(self.id);
        self.announce(InstanceState::Stopped);
        self.place.directory.wake(self.place.agent);
    }

    fn state(&self) -> InstanceState {
        if self.running.is_empty() {
            InstanceState::Idle
        } else {
            InstanceState::Busy
        }
    }

    fn announce(&self, status: InstanceState) {
        self.place.directory.publish(Event::AgentStatus {
            agent: self.place.agent,
            instance: self.place.instance.clone(),
            status,
        });
    }
}
