//! What cluster nodes tell each other, and what the cluster view shows.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use empire_schema::AgentId;

use crate::plumbing::directory::Directory;
use crate::plumbing::groups;

/// A node's heartbeat: who it is, which database it uses, and the load of its instances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Beat {
    pub node: String,
    pub http_addr: String,
    pub cluster_addr: String,
    /// The `cluster_identity` of its database: peers with another one get no work.
    pub database_id: String,
    pub instances: Vec<InstanceLoad>,
    /// The peers it has up: (node name, address to dial), so every node finds every other.
    pub peers: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceLoad {
    pub agent: AgentId,
    /// The instance actor's id on its own node.
    pub pid: u64,
    pub in_flight: usize,
}

/// A change in one of this node's cluster links, from the NodeServer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkNote {
    pub node_id: u64,
    pub change: LinkChange,
    /// The peer's node name, once it told it.
    pub peer: Option<String>,
    pub peer_addr: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkChange {
    Opened,
    Authenticated,
    Closed,
}

/// How this node sees another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeStatus {
    Up,
    /// It stopped answering heartbeats.
    Unreachable,
    /// It uses another database and gets no work.
    Foreign,
}

impl NodeStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            NodeStatus::Up => "up",
            NodeStatus::Unreachable => "unreachable",
            NodeStatus::Foreign => "foreign",
        }
    }
}

/// One node as `GET /api/v1/cluster` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NodeView {
    pub name: String,
    pub http_addr: String,
    pub cluster_addr: String,
    pub status: NodeStatus,
    /// True for the node that answered.
    pub this_node: bool,
    /// When its last heartbeat arrived (now, for the node that answered).
    pub last_heartbeat: Option<DateTime<Utc>>,
    /// Instances hosted, per agent type.
    pub agents: BTreeMap<AgentId, usize>,
    /// Task attempts in flight on its instances.
    pub load: usize,
}

impl NodeView {
    /// A node as its heartbeat describes it.
    pub(super) fn of(
        beat: &Beat,
        status: NodeStatus,
        this_node: bool,
        heard: DateTime<Utc>,
    ) -> NodeView {
        let mut agents = BTreeMap::new();
        for instance in &beat.instances {
            *agents.entry(instance.agent).or_insert(0) += 1;
        }
        NodeView {
            name: beat.node.clone(),
            http_addr: beat.http_addr.clone(),
            cluster_addr: beat.cluster_addr.clone(),
            status,
            this_node,
            last_heartbeat: Some(heard),
            agents,
            load: beat
                .instances
                .iter()
                .map(|instance| instance.in_flight)
                .sum(),
        }
    }
}

/// `node-2@127.0.0.1` (ractor_cluster's peer name) → `node-2`.
pub fn node_of(peer_name: &str) -> &str {
    peer_name
        .rsplit_once('@')
        .map_or(peer_name, |(node, _)| node)
}

/// This node's instances (in-process and external workers) and their loads.
pub(super) fn local_instances(scope: &str, directory: &Directory) -> Vec<InstanceLoad> {
    AgentId::ALL
        .into_iter()
        .flat_map(|agent| {
            groups::local_members(scope, agent)
                .into_iter()
                .map(move |instance| InstanceLoad {
                    agent,
                    pid: instance.get_id().pid(),
                    in_flight: directory.load(instance.get_id()),
                })
        })
        .collect()
}
