//! Answers to other agents: run one of this agent's kinds directly, or answer a ping; notes
//! are counted and logged.

use ractor::RpcReplyPort;

use crate::kinds::{self, Work};
use crate::plumbing::messages::{AgentNotice, AgentReply, AgentRequest};
use crate::plumbing::wire::Wire;
use crate::runtime::books::Place;

pub(super) fn answer(place: &Place, request: AgentRequest, reply: RpcReplyPort<Wire<AgentReply>>) {
    let agent = place.agent;
    match request {
        AgentRequest::Ping { .. } => {
            let instance = place.instance.clone();
            let _ = reply.send(Wire::new(AgentReply::Pong { instance }));
        }
        AgentRequest::Execute { from, kind, input } => {
            tracing::debug!(from, kind, "request from another agent");
            let spec = match kinds::find(agent, &kind).and_then(|spec| {
                spec.validate(&input)?;
                Ok(spec)
            }) {
                Ok(spec) => spec,
                Err(error) => {
                    let _ = reply.send(Wire::new(AgentReply::Refused(error.to_string())));
                    return;
                }
            };
            let services = place.services.clone();
            // Off the actor: the instance keeps answering while the work runs.
            tokio::spawn(async move {
                let work = match spec.work {
                    Work::Pure(work) => tokio::task::spawn_blocking(move || work(&input)),
                    Work::Service(work) => tokio::spawn(work(services, input)),
                };
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

pub(super) fn note(place: &Place, notice: &AgentNotice) {
    tracing::debug!(
        agent = place.agent.as_str(),
        from = notice.from,
        topic = notice.topic,
        "note from another agent"
    );
}
