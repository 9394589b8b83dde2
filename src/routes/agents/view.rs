//! What a client sees of an agent type: its instances, queue and what it can be asked to do.

use empire_actors::kinds::{self, AgentId};
use empire_actors::runtime::{InstanceStatus, fault_kinds};
use empire_schema::TaskStatus;
use empire_schema::models::Task;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct AgentView {
    pub id: AgentId,
    pub instances: Vec<InstanceStatus>,
    /// Tasks of this agent in the store, by status.
    pub queue: QueueView,
    pub kinds: Vec<KindView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueView {
    pub queued: i64,
    pub running: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KindView {
    pub kind: String,
    pub description: String,
    /// JSON Schema (2020-12) of the input.
    pub input_schema: Value,
    /// One valid input.
    pub example_input: Value,
}

/// Every agent type, or one, with live instance statuses and queue counts.
pub async fn agent_views(
    state: &AppState,
    only: Option<AgentId>,
) -> Result<Vec<AgentView>, ApiError> {
    let counts = Task::counts_in_flight(&state.db).await?;
    let count = |agent: AgentId, status: TaskStatus| {
        counts
            .iter()
            .find(|(a, s, _)| *a == agent && *s == status)
            .map_or(0, |(_, _, n)| *n)
    };
    let agents: Vec<AgentId> = match only {
        Some(agent) => vec![agent],
        None => AgentId::ALL.to_vec(),
    };
    let mut views = Vec::with_capacity(agents.len());
    for agent in agents {
        views.push(AgentView {
            id: agent,
            instances: state.runtime.instances(agent).await,
            queue: QueueView {
                queued: count(agent, TaskStatus::Queued),
                running: count(agent, TaskStatus::Running),
            },
            kinds: kind_views(agent, state.config.tasks.fault_injection),
        });
    }
    Ok(views)
}

fn kind_views(agent: AgentId, fault_injection: bool) -> Vec<KindView> {
    let mut views: Vec<KindView> = kinds::kinds_of(agent)
        .map(|spec| KindView {
            kind: spec.kind.to_owned(),
            description: spec.description.to_owned(),
            input_schema: (spec.input_schema)(),
            example_input: (spec.example_input)(),
        })
        .collect();
    if fault_injection {
        views.extend(fault_kinds().into_iter().map(
            |(kind, description, input_schema, example_input)| KindView {
                kind: kind.to_owned(),
                description: description.to_owned(),
                input_schema,
                example_input,
            },
        ));
    }
    views
}
