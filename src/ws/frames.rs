//! The frames a server sends besides events: the snapshot a client starts from (the cluster's
//! nodes as `GET /api/v1/cluster` shows them, agents, recent tasks), and the
//! `resync` that tells it the events it asked for are gone.

use chrono::{DateTime, Utc};
use empire_actors::cluster::NodeView;
use empire_actors::kinds::AgentId;
use empire_schema::PageRequest;
use empire_schema::models::{Task, TaskFilter};
use serde::Serialize;
use serde_json::json;

use crate::error::ApiError;
use crate::routes::agents::view::{AgentView, agent_views};
use crate::routes::tasks::view::TaskView;
use crate::state::AppState;

const RECENT_TASKS: i64 = 50;

/// Everything a dashboard shows, as of event `last_id`; `only` narrows it to one agent type.
pub async fn snapshot(
    state: &AppState,
    last_id: u64,
    only: Option<AgentId>,
) -> Result<String, ApiError> {
    let agents = agent_views(state, only).await?;
    let filter = TaskFilter {
        agent: only,
        status: None,
    };
    let recent = Task::list(&state.db, &filter, &PageRequest::first(RECENT_TASKS)).await?;
    let recent_tasks: Vec<TaskView> = recent.items.into_iter().map(TaskView::from).collect();
    let frame = Snapshot {
        r#type: "snapshot",
        id: last_id,
        ts: Utc::now(),
        nodes: state.runtime.nodes().await,
        agents,
        recent_tasks,
    };
    serde_json::to_string(&frame).map_err(|error| ApiError::Internal(error.into()))
}

/// Serialised straight to text: a `json!` value would first copy every agent's schemas and
/// every task into a tree, once per socket opened.
#[derive(Serialize)]
struct Snapshot {
    r#type: &'static str,
    id: u64,
    ts: DateTime<Utc>,
    nodes: Vec<NodeView>,
    agents: Vec<AgentView>,
    recent_tasks: Vec<TaskView>,
}

pub fn resync(last_id: u64, reason: &str) -> String {
    json!({"type": "resync", "id": last_id, "ts": Utc::now(), "reason": reason}).to_string()
}
