//! What a client sees of an agent type: its instances, queue and what it can be asked to do.

use empire_actors::kinds::{self, AgentId};
use empire_actors::runtime::{InstanceStatus, fault_kinds};
use empire_schema::TaskStatus;
use empire_schema::models::Task;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct AgentView {
    pub id: AgentId,
    pub instances: Vec<InstanceStatus>,
    /// Tasks of this agent in the store, by status.
    pub queue: QueueView,
    // The agent's catalogue, serialised once (see `catalogue`).
    #[schema(value_type = Vec<KindView>)]
    pub kinds: &'static RawValue,
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
            kinds: catalogue(agent, state.config.tasks.fault_injection)
                .map_err(|error| ApiError::Internal(error.into()))?,
        });
    }
    Ok(views)
}

/// What `agent` can be asked to do, as JSON: its kinds' descriptions, input schemas and
/// examples. It never changes while the process runs, and every agent list and dashboard
/// snapshot sends it, so it is built and serialised once per agent and fault-injection setting.
fn catalogue(
    agent: AgentId,
    fault_injection: bool,
) -> Result<&'static RawValue, serde_json::Error> {
    type Catalogues = HashMap<(AgentId, bool), Box<RawValue>>;
    static CATALOGUES: OnceLock<Catalogues> = OnceLock::new();
    let catalogues = match CATALOGUES.get() {
        Some(catalogues) => catalogues,
        None => {
            let mut built = Catalogues::new();
            for agent in AgentId::ALL {
                for fault_injection in [false, true] {
                    let json = serde_json::to_string(&kind_views(agent, fault_injection))?;
                    built.insert((agent, fault_injection), RawValue::from_string(json)?);
                }
            }
            CATALOGUES.get_or_init(|| built)
        }
    };
    Ok(&catalogues[&(agent, fault_injection)])
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
