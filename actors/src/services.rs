//! What service kinds may use: the node's store, LLM service, web fetcher, search index and
//! knowledge graph — and which task the work is for, so that what it spends is attributed to
//! that task, agent and website.

use empire_schema::{AgentId, Db};
use serde_json::Value;

use crate::intelligence::data::{GraphService, SearchService};
use crate::intelligence::llm::{ChatRequest, Llm, LlmError, Outcome};
use crate::intelligence::web::Fetcher;
use crate::monetization::networks::NetworkApis;
use crate::plumbing::directory::Directory;
use crate::plumbing::event::Event;
use crate::seo_optimizer::audit_site::Signatures;
use crate::website_builder::sites::Sites;

/// The node's services, cheap to clone. Built once by `Runtime::start`.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    /// The node's LLM gateway with budgets and ledger; prefer [`Services::complete`], which
    /// attributes the call to the task.
    pub llm: Llm,
    /// Fetches other sites' pages: public addresses only, robots.txt respected, size-capped.
    pub web: Fetcher,
    /// The task being run, when the work runs as one (not for an agent's direct request).
    pub task: Option<TaskContext>,
    /// This node's search index, fed from the `search_outbox`.
    pub search: SearchService,
    /// This node's knowledge graph, written through to `kg_nodes`/`kg_edges`.
    pub graph: GraphService,
    /// Built sites: their builds on disk and the addresses they are read at.
    pub sites: Sites,
    /// Every site's page signatures, for the audit's near-duplicate check across sites.
    pub signatures: Signatures,
    /// The affiliate networks' reporting APIs that have credentials.
    pub networks: NetworkApis,
    /// Where [`Services::progress`] publishes: the node's event bus (none until the runtime
    /// starts, so progress told by work outside it goes nowhere).
    pub events: Directory,
}

/// Which task a piece of work is for.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskContext {
    pub task_id: String,
    pub agent: AgentId,
    pub website_id: Option<String>,
}

impl Services {
    pub fn new(
        db: Db,
        llm: Llm,
        web: Fetcher,
        search: SearchService,
        graph: GraphService,
        sites: Sites,
    ) -> Services {
        Services {
            db,
            llm,
            web,
            task: None,
            search,
            graph,
            sites,
            signatures: Signatures::default(),
            networks: NetworkApis::default(),
            events: Directory::default(),
        }
    }

    /// The same services, on behalf of `task`.
    pub fn for_task(&self, task: TaskContext) -> Services {
        Services {
            task: Some(task),
            ..self.clone()
        }
    }

    /// Asks the LLM chain configured for task kind `kind` (`[llm.chains]`, else `llm.chain`),
    /// within the budgets of this task's agent and website and the cluster; every attempt is
    /// written to the ledger on their account.
    pub async fn complete(&self, kind: &str, request: &ChatRequest) -> Result<Outcome, LlmError> {
        self.llm.complete(self.task.as_ref(), kind, request).await
    }

    /// Tells the live sockets how far this task of kind `kind` is (a `task_progress` event);
    /// nothing when the work runs outside a task. Never blocks and never fails the work.
    pub fn progress(&self, kind: &str, progress: Value) {
        if let Some(task) = &self.task {
            self.events.publish(Event::TaskProgress {
                task_id: task.task_id.clone(),
                agent: task.agent,
                kind: kind.to_owned(),
                progress,
                website_id: task.website_id.clone(),
            });
        }
    }

    /// [`Services::complete`] along an explicit chain of configured provider names.
    pub async fn complete_with(
        &self,
        chain: &[String],
        request: &ChatRequest,
    ) -> Result<Outcome, LlmError> {
        self.llm
            .complete_with(self.task.as_ref(), chain, request)
            .await
    }
}
