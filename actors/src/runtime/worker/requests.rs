//! Answers to other agents: run one of this agent's kinds directly, or answer a ping; notes
//! are counted and logged.

use ractor::RpcReplyPort;

use super::WorkerArgs;
use crate::kinds;
use crate::runtime::messages::{AgentNotice, AgentReply, AgentRequest};
use crate::runtime::wire::Wire;

pub fn answer(
    args: &WorkerArgs,
    request: Result<AgentRequest, String>,
    reply: RpcReplyPort<Wire<AgentReply>>,
) {
    let agent = args.agent;
    let instance = args.instance.clone();
    match request {
        Err(error) => {
            let _ = reply.send(Wire::new(AgentReply::Refused(error)));
        }
        Ok(AgentRequest::Ping { .. }) => {
            let _ = reply.send(Wire::new(AgentReply::Pong { instance }));
        }
        Ok(AgentRequest::Execute { from, kind, input }) => {
            tracing::debug!(from, kind, "request from another agent");
            // Off the actor: the instance keeps answering while the work runs.
            tokio::spawn(async move {
                let work = tokio::task::spawn_blocking(move || {
                    kinds::execute(agent.as_str(), &kind, &input)
                });
                let answer = match work.await {
                    Ok(Ok(output)) => AgentReply::Output(output),
                    Ok(Err(error)) => AgentReply::Refused(error.to_string()),
                    Err(error) => AgentReply::Refused(format!("the work failed: {error}")),
                };
                let _ = reply.send(Wire::new(answer));
            });
        }
    }
}

pub fn note(args: &WorkerArgs, notice: Result<AgentNotice, String>) {
    match notice {
        Ok(notice) => tracing::debug!(
            agent = args.agent.as_str(),
            from = notice.from,
            topic = notice.topic,
            "note from another agent"
        ),
        Err(error) => tracing::warn!(%error, "refused a note that did not decode"),
    }
}
