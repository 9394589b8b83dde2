//! What service kinds may use: the node's store — and, as the intelligence core lands, its LLM
//! gateway, search index and knowledge graph — and which task the work is for, so that what it
//! spends is attributed to that task, agent and website.

use empire_schema::{AgentId, Db};

use crate::intelligence::data::{GraphService, SearchService};

/// The node's services, cheap to clone. Built once by `Runtime::start`.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    /// The task being run, when the work runs as one (not for an agent's direct request).
    pub task: Option<TaskContext>,
    /// This node's search index, fed from the `search_outbox`.
    pub search: SearchService,
    /// This node's knowledge graph, written through to `kg_nodes`/`kg_edges`.
    pub graph: GraphService,
}

/// Which task a piece of work is for.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskContext {
    pub task_id: String,
    pub agent: AgentId,
    pub website_id: Option<String>,
}

impl Services {
    pub fn new(db: Db, search: SearchService, graph: GraphService) -> Services {
        Services {
            db,
            task: None,
            search,
            graph,
        }
    }

    /// The same services, on behalf of `task`.
    pub fn for_task(&self, task: TaskContext) -> Services {
        Services {
            task: Some(task),
            ..self.clone()
        }
    }
}
