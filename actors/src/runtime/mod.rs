//! The agent runtime: a supervised tree of actors on each node — event bus, dispatcher,
//! lease reaper and the agent instances — driving the durable task table.

pub mod config;
pub mod directory;
pub mod dispatcher;
pub mod events;
pub mod external;
pub mod faults;
pub mod groups;
pub mod leases;
pub mod messages;
pub mod messaging;
pub mod metrics;
pub mod reaper;
pub mod supervisor;
pub mod wire;
pub mod worker;
pub mod workflow_step;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use empire_schema::Db;
use empire_schema::models::ClusterIdentity;
use ractor::Actor;
use tokio::task::JoinHandle;

pub use config::{AgentCounts, RuntimeConfig, TaskSettings};
pub use directory::Directory;
pub use events::{Event, Stamped, Subscription};
pub use messages::{AgentNotice, AgentReply, AgentRequest, InstanceStatus};
pub use messaging::{MessageError, Messenger, Target};
pub use ractor::ActorRef;

use crate::cluster::{Cluster, NodeIdentity, NodeView};
use crate::kinds::AgentId;
use events::EventBusMessage;
use supervisor::{Supervisor, SupervisorArgs, SupervisorMessage};

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("invalid runtime settings: {0}")]
    Config(String),
    #[error("the runtime failed to start: {0}")]
    Spawn(String),
    #[error("cannot join the cluster: {0}")]
    Cluster(String),
}

/// A handle on this node's runtime. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    config: Arc<RuntimeConfig>,
    db: Db,
    directory: Directory,
    messenger: Messenger,
    cluster: Cluster,
    supervisor: ActorRef<SupervisorMessage>,
    join: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl Runtime {
    pub async fn start(config: RuntimeConfig, db: Db) -> Result<Runtime, RuntimeError> {
        config.tasks.validate().map_err(RuntimeError::Config)?;
        metrics::describe();
        let directory = Directory::default();
        let args = SupervisorArgs {
            config: config.clone(),
            db: db.clone(),
            directory: directory.clone(),
        };
        let (supervisor, join) = Actor::spawn(None, Supervisor, args)
            .await
            .map_err(|error| RuntimeError::Spawn(error.to_string()))?;
        let messenger = Messenger::new(config.scope.clone(), directory.clone());
        let cluster = match start_cluster(&config, &db, &directory).await {
            Ok(cluster) => cluster,
            Err(error) => {
                supervisor.stop(None);
                return Err(RuntimeError::Cluster(error));
            }
        };
        Ok(Runtime {
            cluster,
            config: Arc::new(config),
            db,
            directory,
            messenger,
            supervisor,
            join: Arc::new(Mutex::new(Some(join))),
        })
    }

    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    pub fn messenger(&self) -> &Messenger {
        &self.messenger
    }

    /// New work was queued for `agent`.
    pub fn wake(&self, agent: AgentId) {
        self.directory.wake(agent);
    }

    pub fn publish(&self, event: Event) {
        self.directory.publish(event);
    }

    /// A live feed of events, with those after `after` replayed first (None if they are gone).
    pub async fn subscribe(&self, after: Option<u64>) -> Option<Subscription> {
        let bus = self.directory.bus()?;
        let answer = bus
            .call(
                |reply| EventBusMessage::Subscribe { after, reply },
                Some(Duration::from_secs(2)),
            )
            .await;
        match answer {
            Ok(ractor::rpc::CallResult::Success(subscription)) => Some(subscription),
            _ => None,
        }
    }

    /// Every node of the cluster this node knows, itself first.
    pub async fn nodes(&self) -> Vec<NodeView> {
        self.cluster.nodes().await
    }

    /// Every instance of `agent` in the cluster that answered within a second.
    pub async fn instances(&self, agent: AgentId) -> Vec<InstanceStatus> {
        let mut statuses: Vec<InstanceStatus> = self
            .messenger
            .statuses(agent, Duration::from_secs(1))
            .await
            .into_iter()
            .map(|(_, status)| status)
            .collect();
        statuses.sort_by(|a, b| a.instance.cmp(&b.instance));
        statuses
    }

    /// Registers an external worker for `agent`: attempts handed to it arrive on `outbox`;
    /// its socket reports back through the returned reference. Stop it when the socket closes.
    pub async fn start_external(
        &self,
        agent: AgentId,
        name: &str,
        outbox: tokio::sync::mpsc::Sender<external::ToWorker>,
        heartbeat_timeout: Duration,
    ) -> Result<ActorRef<messages::AgentMessage>, RuntimeError> {
        let args = external::ExternalArgs {
            agent,
            instance: format!("{}/external/{}-{name}", self.config.node, agent.as_str()),
            node: self.config.node.clone(),
            scope: self.config.scope.clone(),
            db: self.db.clone(),
            directory: self.directory.clone(),
            settings: self.config.tasks.clone(),
            outbox,
            heartbeat_timeout,
        };
        let (worker, _) = Actor::spawn(None, external::ExternalWorker, args)
            .await
            .map_err(|error| RuntimeError::Spawn(error.to_string()))?;
        Ok(worker)
    }

    /// Stops every actor of this node; running attempts go back to the queue.
    pub async fn shutdown(&self) {
        self.cluster.stop();
        self.supervisor.stop(Some("shutdown".into()));
        let join = self
            .join
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(join) = join {
            let _ = tokio::time::timeout(Duration::from_secs(10), join).await;
        }
    }
}

async fn start_cluster(
    config: &RuntimeConfig,
    db: &Db,
    directory: &Directory,
) -> Result<Cluster, String> {
    let database_id = ClusterIdentity::get_or_create(db)
        .await
        .map_err(|error| format!("cannot read the database's cluster identity: {error}"))?;
    let identity = NodeIdentity {
        node: config.node.clone(),
        http_addr: config.http_addr.clone(),
        cluster_addr: config.cluster.advertised(),
        database_id,
    };
    Cluster::start(config.cluster.clone(), identity, directory.clone()).await
}
