//! Process-group names. Instances join the group of their agent type within the cluster's
//! scope; callers find them there, never by address.

use empire_schema::AgentId;
use ractor::{ActorRef, pg};

use super::messages::AgentMessage;

pub fn agent_group(agent: AgentId) -> String {
    format!("agents.{}", agent.as_str())
}

/// Every instance of `agent` in the scope (all nodes).
pub(crate) fn members(scope: &str, agent: AgentId) -> Vec<ActorRef<AgentMessage>> {
    pg::get_scoped_members(&scope.to_owned(), &agent_group(agent))
        .into_iter()
        .map(ActorRef::from)
        .collect()
}

/// The instances of `agent` on this node.
pub(crate) fn local_members(scope: &str, agent: AgentId) -> Vec<ActorRef<AgentMessage>> {
    pg::get_scoped_local_members(&scope.to_owned(), &agent_group(agent))
        .into_iter()
        .map(ActorRef::from)
        .collect()
}
