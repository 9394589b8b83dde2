//! The agent runtime: a supervised tree of actors on each node — event bus, dispatcher,
//! lease reaper and the agent instances — driving the durable task table, and `Runtime`, the
//! one way in to it for the front door, webhooks, schedules and imports.

mod backlog;
mod books;
mod bus;
mod config;
mod dispatcher;
mod external;
pub(crate) mod faults;
pub mod idempotency;
mod instance;
mod leases;
mod messaging;
mod reaper;
mod submit;
mod supervisor;
mod wait;
pub mod workflow_step;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use empire_schema::models::{ClusterIdentity, Created, NewOffer, Task, Website, Workflow};
use empire_schema::{AgentId, Db, StoreError};
use ractor::{Actor, ActorRef};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub use config::{AgentCounts, RuntimeConfig, SettingsError, TaskSettings};
pub use external::{ExternalWorker, ToWorker, WorkerGone};
pub use faults::kinds as fault_kinds;
pub use messaging::{MessageError, Messenger, Target};
pub use submit::{SubmitError, TaskRequest};
pub use wait::Waited;
pub use workflow_step::StartError;

pub use crate::plumbing::event::{
    AgentLoad, Event, InstanceState, MinuteCount, Stamped, Subscription,
};
pub use crate::plumbing::messages::{
    AgentNotice, AgentReply, AgentRequest, Assignment, InstanceStatus, ReportOutcome,
};

use crate::cluster::{Cluster, ClusterError, NodeIdentity, NodeView, relay};
use crate::intelligence::data::{GraphService, SearchService};
use crate::intelligence::llm::{GatewayOptions, Llm, LlmStartError};
use crate::intelligence::web::{FetchError, Fetcher};
use crate::plumbing::control::EventBusMessage;
use crate::plumbing::directory::Directory;
use crate::plumbing::metrics;
use crate::services::Services;
use backlog::Backlog;
use books::Place;
use bus::Relay;
use external::ExternalArgs;
use supervisor::{Supervisor, SupervisorArgs, SupervisorMessage};

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("invalid runtime settings: {0}")]
    Settings(#[from] SettingsError),
    #[error("the runtime failed to start")]
    Spawn(#[from] ractor::SpawnErr),
    #[error("cannot read the database's cluster identity")]
    Identity(#[source] StoreError),
    #[error("cannot join the cluster")]
    Cluster(#[from] ClusterError),
    #[error("cannot open the search index")]
    Search(#[source] crate::intelligence::search::SearchError),
    #[error("cannot load the knowledge graph")]
    Graph(#[source] crate::intelligence::data::DataError),
    #[error("invalid [llm] settings")]
    Llm(#[from] LlmStartError),
    #[error("cannot build the web client")]
    Web(#[from] FetchError),
}

/// How often the search feed looks at the outbox when no local write woke it (other nodes'
/// writes are only seen this way).
const SEARCH_FEED_POLL: Duration = Duration::from_millis(500);
/// How often the graph reads the other nodes' writes.
const GRAPH_FOLLOW_POLL: Duration = Duration::from_secs(2);

/// A handle on this node's runtime. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    config: Arc<RuntimeConfig>,
    db: Db,
    services: Services,
    directory: Directory,
    /// The backlog cap's counts, shared by every way in for work.
    backlog: Arc<Backlog>,
    messenger: Messenger,
    cluster: Cluster,
    supervisor: ActorRef<SupervisorMessage>,
    join: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl Runtime {
    pub async fn start(config: RuntimeConfig, db: Db) -> Result<Runtime, RuntimeError> {
        config.tasks.validate()?;
        metrics::describe();
        let directory = Directory::default();
        let scope = config.scope.clone();
        let relay: Relay = Arc::new(move |event: &Event| relay::send(&scope, event));
        let search =
            SearchService::open(config.search_dir.as_deref()).map_err(RuntimeError::Search)?;
        let graph = GraphService::load(db.clone())
            .await
            .map_err(RuntimeError::Graph)?;
        let llm = Llm::start(
            config.llm.clone(),
            db.clone(),
            config.shared_cache.clone(),
            GatewayOptions::default(),
        )?;
        let web = Fetcher::new(config.web.clone())?;
        let mut services = Services::new(db.clone(), llm, web, search, graph, config.sites.clone());
        services.networks = config.networks.clone();
        services.events = directory.clone();
        let args = SupervisorArgs {
            config: config.clone(),
            db: db.clone(),
            directory: directory.clone(),
            relay,
            services: services.clone(),
        };
        let (supervisor, join) = Actor::spawn(None, Supervisor, args).await?;
        let messenger = Messenger::new(config.scope.clone(), directory.clone());
        let cluster = match start_cluster(&config, &db, &directory).await {
            Ok(cluster) => cluster,
            Err(error) => {
                supervisor.stop(None);
                return Err(error);
            }
        };
        services.search.spawn_feeder(db.clone(), SEARCH_FEED_POLL);
        services.graph.spawn_follower(GRAPH_FOLLOW_POLL);
        Ok(Runtime {
            cluster,
            services,
            backlog: Arc::new(Backlog::new(config.tasks.backlog_cap)),
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

    /// This node's services (store, LLM gateway, web fetcher, search index, knowledge graph), as
    /// service kinds get them and routes query them.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Agent-to-agent requests and notes through the runtime.
    pub fn messenger(&self) -> &Messenger {
        &self.messenger
    }

    /// Queues a task: validated, deduplicated by its idempotency key, refused over the
    /// backlog cap, stored, announced and handed to the dispatcher.
    pub async fn submit(&self, request: TaskRequest) -> Result<Created, SubmitError> {
        submit::submit(
            &self.db,
            &self.config.tasks,
            &self.backlog,
            &self.directory,
            request,
        )
        .await
    }

    /// Starts a workflow: its row and its first step's task in one transaction.
    pub async fn start_workflow(
        &self,
        kind: &str,
        input: Value,
    ) -> Result<(Workflow, Task), StartError> {
        submit::start_workflow(
            &self.db,
            &self.config.tasks,
            &self.backlog,
            &self.directory,
            kind,
            input,
            None,
        )
        .await
    }

    /// Starts a workflow once per `key` (the first step's task holds it, scoped like a task
    /// key with no principal): a second start with the same key is refused with
    /// `StoreError::Conflict`. For the runtime's own callers (schedules).
    pub async fn start_workflow_keyed(
        &self,
        kind: &str,
        input: Value,
        key: &str,
    ) -> Result<(Workflow, Task), StartError> {
        submit::start_workflow(
            &self.db,
            &self.config.tasks,
            &self.backlog,
            &self.directory,
            kind,
            input,
            Some(key),
        )
        .await
    }

    /// Checks a task's kind and input as `submit` would (fault-injection kinds included when
    /// they are on), storing nothing.
    pub fn validate_task(
        &self,
        agent: AgentId,
        kind: &str,
        input: &Value,
    ) -> Result<(), crate::kinds::KindError> {
        submit::validate_task(&self.config.tasks, agent, kind, input)
    }

    /// Stores a new website (in `draft`), the offers given with it and the `website_pipeline`
    /// that makes it, in one transaction: all of it or nothing.
    pub async fn start_site_pipeline(
        &self,
        website: Website,
        offers: Vec<NewOffer>,
    ) -> Result<(Website, Workflow, Task), StartError> {
        submit::start_site_pipeline(
            &self.db,
            &self.config.tasks,
            &self.backlog,
            &self.directory,
            website,
            offers,
        )
        .await
    }

    /// Cancels a queued or running task; a running attempt's result is then discarded.
    pub async fn cancel_task(&self, id: &str) -> Result<Task, StoreError> {
        submit::cancel_task(&self.db, &self.directory, id).await
    }

    /// Cancels a workflow and its pending steps.
    pub async fn cancel_workflow(&self, id: &str) -> Result<Workflow, StoreError> {
        submit::cancel_workflow(&self.db, &self.directory, id).await
    }

    /// Publishes an event on this node's bus (and the cluster's).
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
    /// its socket reports back through the returned handle. Stop it when the socket closes.
    pub async fn start_external(
        &self,
        agent: AgentId,
        name: &str,
        outbox: mpsc::Sender<ToWorker>,
        heartbeat_timeout: Duration,
    ) -> Result<ExternalWorker, RuntimeError> {
        let place = Place {
            agent,
            instance: format!("{}/external/{}-{name}", self.config.node, agent.as_str()),
            node: self.config.node.clone(),
            scope: self.config.scope.clone(),
            db: self.db.clone(),
            directory: self.directory.clone(),
            settings: self.config.tasks.clone(),
            services: self.services.clone(),
        };
        let args = ExternalArgs {
            place,
            outbox,
            heartbeat_timeout,
        };
        Ok(ExternalWorker::start(args).await?)
    }

    /// Stops every actor of this node; running attempts go back to the queue.
    pub async fn shutdown(&self) {
        self.services.search.stop();
        self.services.graph.stop();
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
) -> Result<Cluster, RuntimeError> {
    let database_id = ClusterIdentity::get_or_create(db)
        .await
        .map_err(RuntimeError::Identity)?;
    let identity = NodeIdentity {
        node: config.node.clone(),
        http_addr: config.http_addr.clone(),
        cluster_addr: config.cluster.advertised(),
        database_id,
    };
    Ok(Cluster::start(config.cluster.clone(), identity, directory.clone()).await?)
}
