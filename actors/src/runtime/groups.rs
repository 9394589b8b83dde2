//! Process-group names. Instances join the group of their agent type within the cluster's
//! scope; callers find them there, never by address.

use ractor::{ActorRef, pg};

use super::messages::AgentMessage;
use crate::kinds::AgentId;

pub fn agent_group(agent: AgentId) -> String {
    format!("agents.{}", agent.as_str())
}

/// Every instance of `agent` in the scope (all nodes).
pub fn members(scope: &str, agent: AgentId) -> Vec<ActorRef<AgentMessage>> {
    pg::get_scoped_members(&scope.to_owned(), &agent_group(agent))
        .into_iter()
        .map(ActorRef::from)
        .collect()
}

/// The instances of `agent` on this node.
pub fn local_members(scope: &str, agent: AgentId) -> Vec<ActorRef<AgentMessage>> {
    pg::get_scoped_local_members(&scope.to_owned(), &agent_group(agent))
        .into_iter()
        .map(ActorRef::from)
        .collect()
}
