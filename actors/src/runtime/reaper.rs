//! The reaper: re-queues tasks whose lease expired (their node died or stalled), and
//! refreshes the queue-depth gauges from the store.

use std::time::{Duration, Instant};

use empire_schema::clock::now;
use empire_schema::models::Task;
use empire_schema::{AgentId, Db, TaskStatus};
use ractor::{Actor, ActorProcessingErr, ActorRef};
use ractor_cluster::RactorMessage;
use tokio::task::JoinHandle;

use super::workflow_step;
use crate::kinds::website_of;
use crate::plumbing::directory::Directory;
use crate::plumbing::event::{AgentLoad, Event, MinuteCount};
use crate::plumbing::metrics::{LEASES_REAPED, TASKS_BY_STATUS, TASKS_DEAD};

pub(crate) struct Reaper;

/// How often the gauges of finished tasks are refreshed. Counting them reads the whole task
/// table (67 ms at 300,000 tasks on SQLite); the queue's gauges read only the tasks in flight
/// and are refreshed on every sweep.
const FINISHED_COUNTS_EVERY: Duration = Duration::from_secs(15);

pub(crate) struct ReaperArgs {
    pub db: Db,
    pub directory: Directory,
    pub every: std::time::Duration,
    /// How often a `metrics` event is published.
    pub metrics_every: std::time::Duration,
}

pub(crate) struct ReaperState {
    args: ReaperArgs,
    last_metrics_event: Option<Instant>,
    last_finished_counts: Option<Instant>,
    timer: JoinHandle<()>,
}

#[derive(RactorMessage)]
pub(crate) enum ReaperMessage {
    Sweep,
}

impl Actor for Reaper {
    type Msg = ReaperMessage;
    type State = ReaperState;
    type Arguments = ReaperArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: ReaperArgs,
    ) -> Result<ReaperState, ActorProcessingErr> {
        let timer = myself.send_interval(args.every, || ReaperMessage::Sweep);
        Ok(ReaperState {
            args,
            last_metrics_event: None,
            last_finished_counts: None,
            timer,
        })
    }

    async fn post_stop(
        &self,
        _: ActorRef<Self::Msg>,
        state: &mut ReaperState,
    ) -> Result<(), ActorProcessingErr> {
        state.timer.abort();
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Self::Msg>,
        message: ReaperMessage,
        state: &mut ReaperState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            ReaperMessage::Sweep => {
                state.reap().await;
                state.refresh_gauges().await;
            }
        }
        Ok(())
    }
}

impl ReaperState {
    async fn reap(&self) {
        let reaped = match Task::reap_expired(&self.args.db).await {
            Ok(reaped) => reaped,
            Err(error) => {
                tracing::warn!(%error, "cannot reap expired leases");
                return;
            }
        };
        for task in reaped {
            let website_id = website_of(&task.input.0);
            metrics::counter!(LEASES_REAPED, "agent" => task.agent.as_str()).increment(1);
            let error = task.error.clone().unwrap_or_else(|| "lease expired".into());
            let dead = task.status == TaskStatus::Dead;
            tracing::info!(
                task_id = task.id,
                agent = task.agent.as_str(),
                dead,
                "lease expired"
            );
            self.args.directory.publish(Event::TaskFailed {
                task_id: task.id.clone(),
                agent: task.agent,
                attempt: task.attempts,
                error: error.clone(),
                retrying: !dead,
                website_id: website_id.clone(),
            });
            if dead {
                metrics::counter!(TASKS_DEAD, "agent" => task.agent.as_str()).increment(1);
                self.args.directory.publish(Event::TaskDead {
                    task_id: task.id.clone(),
                    agent: task.agent,
                    error: error.clone(),
                    website_id,
                });
                if let Some(workflow_id) = &task.workflow_id {
                    workflow_step::fail(&self.args.db, &self.args.directory, workflow_id, &error)
                        .await;
                }
            } else {
                self.args.directory.wake(task.agent);
            }
        }
    }

    /// Queue gauges on every sweep, the others when due; a `metrics` event for dashboards when
    /// one is due.
    async fn refresh_gauges(&mut self) {
        let every_status = self
            .last_finished_counts
            .is_none_or(|at| at.elapsed() >= FINISHED_COUNTS_EVERY);
        let (counted, statuses) = if every_status {
            let counted = Task::counts_by_agent_and_status(&self.args.db).await;
            (counted, &TaskStatus::ALL[..])
        } else {
            let counted = Task::counts_in_flight(&self.args.db).await;
            (counted, &[TaskStatus::Queued, TaskStatus::Running][..])
        };
        let counts = match counted {
            Ok(counts) => counts,
            Err(error) => {
                tracing::debug!(%error, "cannot refresh task gauges");
                return;
            }
        };
        if every_status {
            self.last_finished_counts = Some(Instant::now());
        }
        let count = |agent: AgentId, status: TaskStatus| {
            counts
                .iter()
                .find(|(a, s, _)| *a == agent && *s == status)
                .map_or(0, |(_, _, count)| *count)
        };
        for agent in AgentId::ALL {
            for &status in statuses {
                let value = count(agent, status) as f64;
                metrics::gauge!(TASKS_BY_STATUS, "agent" => agent.as_str(), "status" => status.as_str()).set(value);
            }
        }
        if self
            .last_metrics_event
            .is_some_and(|at| at.elapsed() < self.args.metrics_every)
        {
            return;
        }
        self.last_metrics_event = Some(Instant::now());
        let agents = AgentId::ALL
            .into_iter()
            .map(|agent| {
                let load = AgentLoad {
                    queued: count(agent, TaskStatus::Queued),
                    running: count(agent, TaskStatus::Running),
                };
                (agent, load)
            })
            .collect();
        let since = now() - chrono::Duration::minutes(30);
        let per_minute = Task::finished_per_minute(&self.args.db, since)
            .await
            .unwrap_or_default();
        let tasks_finished_per_minute = per_minute
            .into_iter()
            .map(|row| MinuteCount {
                minute: row.minute,
                count: row.count,
            })
            .collect();
        self.args.directory.publish(Event::Metrics {
            agents,
            tasks_finished_per_minute,
        });
    }
}
