//! The reaper: re-queues tasks whose lease expired (their node died or stalled), and
//! refreshes the queue-depth gauges from the store.

use empire_schema::Db;
use empire_schema::clock::now;
use empire_schema::models::{Task, TaskStatus};
use ractor::{Actor, ActorProcessingErr, ActorRef};
use ractor_cluster::RactorMessage;
use tokio::task::JoinHandle;

use super::directory::Directory;
use super::events::Event;
use super::metrics::{LEASES_REAPED, TASKS_BY_STATUS, TASKS_DEAD};
use super::workflow_step;

pub struct Reaper;

pub struct ReaperArgs {
    pub db: Db,
    pub directory: Directory,
    pub every: std::time::Duration,
}

pub struct ReaperState {
    args: ReaperArgs,
    timer: JoinHandle<()>,
}

#[derive(RactorMessage)]
pub enum ReaperMessage {
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
        Ok(ReaperState { args, timer })
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
        let reaped = match Task::reap_expired(&self.args.db, now()).await {
            Ok(reaped) => reaped,
            Err(error) => {
                tracing::warn!(%error, "cannot reap expired leases");
                return;
            }
        };
        for task in reaped {
            metrics::counter!(LEASES_REAPED, "agent" => task.agent.clone()).increment(1);
            let error = task.error.clone().unwrap_or_else(|| "lease expired".into());
            let dead = task.status() == Some(TaskStatus::Dead);
            tracing::info!(task_id = task.id, agent = task.agent, dead, "lease expired");
            self.args.directory.publish(Event::TaskFailed {
                task_id: task.id.clone(),
                agent: task.agent.clone(),
                attempt: task.attempts,
                error: error.clone(),
                retrying: !dead,
            });
            if dead {
                metrics::counter!(TASKS_DEAD, "agent" => task.agent.clone()).increment(1);
                self.args.directory.publish(Event::TaskDead {
                    task_id: task.id.clone(),
                    agent: task.agent.clone(),
                    error: error.clone(),
                });
                if let Some(workflow_id) = &task.workflow_id {
                    workflow_step::fail(&self.args.db, &self.args.directory, workflow_id, &error)
                        .await;
                }
            } else if let Ok(agent) = task.agent.parse() {
                self.args.directory.wake(agent);
            }
        }
    }

    async fn refresh_gauges(&self) {
        match Task::counts_by_agent_and_status(&self.args.db).await {
            Ok(counts) => {
                for agent in crate::kinds::AgentId::ALL {
                    for status in TaskStatus::ALL {
                        let count = counts
                            .iter()
                            .find(|(a, s, _)| a == agent.as_str() && s == status.as_str())
                            .map_or(0, |(_, _, count)| *count);
                        metrics::gauge!(TASKS_BY_STATUS, "agent" => agent.as_str(), "status" => status.as_str()).set(count as f64);
                    }
                }
            }
            Err(error) => tracing::debug!(%error, "cannot refresh task gauges"),
        }
    }
}
