//! Agent-to-agent messages through the runtime: to an agent type (its least-loaded instance
//! anywhere in the cluster) or to one named instance, as a request with a timeout or a note.

use std::time::{Duration, Instant};

use empire_schema::AgentId;
use ractor::ActorRef;

use crate::plumbing::directory::Directory;
use crate::plumbing::groups;
use crate::plumbing::messages::{
    AgentMessage, AgentNotice, AgentReply, AgentRequest, InstanceStatus,
};
use crate::plumbing::metrics::MESSAGE_LATENCY;
use crate::plumbing::wire::{Wire, WireError};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MessageError {
    #[error("no instance of {0} is running")]
    NoInstance(String),
    #[error("no answer within {0} ms")]
    Timeout(u128),
    #[error("the instance is gone: {0}")]
    Gone(String),
    #[error("the reply did not decode: {0}")]
    Undecodable(#[from] WireError),
}

/// Where a message goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The least-loaded instance of this agent type.
    Agent(AgentId),
    /// One instance, by the name it reports (e.g. `node-1/seo_optimizer-0`).
    Instance(AgentId, String),
}

#[derive(Clone)]
pub struct Messenger {
    scope: String,
    directory: Directory,
}

impl Messenger {
    pub(crate) fn new(scope: String, directory: Directory) -> Messenger {
        Messenger { scope, directory }
    }

    pub async fn ask(
        &self,
        target: &Target,
        request: AgentRequest,
        timeout: Duration,
    ) -> Result<AgentReply, MessageError> {
        let instance = self.resolve(target, timeout).await?;
        let started = Instant::now();
        let outcome = instance
            .call(
                |reply| AgentMessage::Ask(Wire::new(request), reply),
                Some(timeout),
            )
            .await;
        let agent = match target {
            Target::Agent(agent) | Target::Instance(agent, _) => agent.as_str(),
        };
        let remote = if instance.get_id().is_local() {
            "false"
        } else {
            "true"
        };
        metrics::histogram!(MESSAGE_LATENCY, "agent" => agent, "remote" => remote)
            .record(started.elapsed().as_secs_f64());
        match outcome {
            Ok(ractor::rpc::CallResult::Success(reply)) => Ok(reply.into_inner()?),
            Ok(ractor::rpc::CallResult::Timeout) => Err(MessageError::Timeout(timeout.as_millis())),
            Ok(ractor::rpc::CallResult::SenderError) => {
                Err(MessageError::Gone("it stopped before answering".into()))
            }
            Err(error) => Err(MessageError::Gone(error.to_string())),
        }
    }

    pub async fn tell(&self, target: &Target, notice: AgentNotice) -> Result<(), MessageError> {
        let instance = self.resolve(target, Duration::from_secs(1)).await?;
        instance
            .cast(AgentMessage::Tell(Wire::new(notice)))
            .map_err(|error| MessageError::Gone(error.to_string()))
    }

    /// The status of every reachable instance of `agent` in the cluster; a silent one is left out.
    pub(crate) async fn statuses(
        &self,
        agent: AgentId,
        timeout: Duration,
    ) -> Vec<(ActorRef<AgentMessage>, InstanceStatus)> {
        let asks = groups::members(&self.scope, agent)
            .into_iter()
            // Not those of a node that stopped answering heartbeats: they would only time out.
            .filter(|instance| self.directory.reachable(instance.get_id()))
            .map(|instance| async move {
                let answer = instance.call(AgentMessage::Status, Some(timeout)).await;
                match answer {
                    Ok(ractor::rpc::CallResult::Success(status)) => {
                        status.into_inner().ok().map(|status| (instance, status))
                    }
                    _ => None,
                }
            });
        futures::future::join_all(asks)
            .await
            .into_iter()
            .flatten()
            .collect()
    }

    async fn resolve(
        &self,
        target: &Target,
        timeout: Duration,
    ) -> Result<ActorRef<AgentMessage>, MessageError> {
        match target {
            Target::Agent(agent) => groups::members(&self.scope, *agent)
                .into_iter()
                .filter(|instance| self.directory.reachable(instance.get_id()))
                .min_by_key(|instance| self.directory.load(instance.get_id()))
                .ok_or_else(|| MessageError::NoInstance(agent.as_str().to_owned())),
            Target::Instance(agent, name) => self
                .statuses(*agent, timeout)
                .await
                .into_iter()
                .find(|(_, status)| status.instance == *name)
                .map(|(instance, _)| instance)
                .ok_or_else(|| MessageError::NoInstance(name.clone())),
        }
    }
}
