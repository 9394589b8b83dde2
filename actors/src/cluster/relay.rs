//! Events cross nodes: each node's event bus sends the task, agent and workflow events it
//! publishes to every other node's relay, which publishes them on its own bus — so a dashboard
//! on any node sees the whole cluster. Node and metrics events stay on the node that made them.

use ractor::{Actor, ActorProcessingErr, ActorRef, pg};
use ractor_cluster::RactorClusterMessage;

use crate::plumbing::directory::Directory;
use crate::plumbing::event::Event;
use crate::plumbing::wire::Wire;

/// The process group of every node's relay, within the cluster's scope.
const RELAYS: &str = "cluster.events";

pub(crate) struct EventRelay;

#[derive(RactorClusterMessage)]
pub enum RelayMessage {
    Event(Wire<Event>),
}

impl Actor for EventRelay {
    type Msg = RelayMessage;
    type State = Directory;
    type Arguments = (String, Directory);

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        (scope, directory): (String, Directory),
    ) -> Result<Directory, ActorProcessingErr> {
        pg::join_scoped(scope, RELAYS.to_owned(), vec![myself.get_cell()]);
        Ok(directory)
    }

    async fn handle(
        &self,
        _: ActorRef<Self::Msg>,
        message: RelayMessage,
        directory: &mut Directory,
    ) -> Result<(), ActorProcessingErr> {
        let RelayMessage::Event(event) = message;
        match event.into_inner() {
            Ok(event) => directory.publish_relayed(event),
            Err(error) => {
                tracing::warn!(%error, "an undecodable event from another node was ignored")
            }
        }
        Ok(())
    }
}

/// Sends `event` to the other nodes of `scope`, when it is one that crosses nodes.
pub fn send(scope: &str, event: &Event) {
    if !crosses_nodes(event) {
        return;
    }
    for relay in pg::get_scoped_members(&scope.to_owned(), &RELAYS.to_owned()) {
        if !relay.get_id().is_local() {
            let relay: ActorRef<RelayMessage> = relay.into();
            let _ = relay.cast(RelayMessage::Event(Wire::new(event.clone())));
        }
    }
}

fn crosses_nodes(event: &Event) -> bool {
    !matches!(
        event,
        Event::NodeJoined { .. } | Event::NodeLeft { .. } | Event::Metrics { .. }
    )
}

#[cfg(test)]
mod tests {
    use ractor::BytesConvertable;

    use super::*;

    #[test]
    fn events_survive_the_wire() {
        let event = Event::TaskStarted {
            task_id: "t".into(),
            agent: empire_schema::AgentId::SeoOptimizer,
            attempt: 2,
            instance: "node-2/seo_optimizer-0".into(),
            node: "node-2".into(),
            website_id: None,
        };
        let bytes = Wire::new(event.clone()).into_bytes();
        assert_eq!(
            Wire::<Event>::from_bytes(bytes).into_inner(),
            Ok(event.clone())
        );
        let for_a_site = Event::WorkflowProgress {
            workflow_id: "w".into(),
            kind: "page_pipeline".into(),
            step: 1,
            status: empire_schema::WorkflowStatus::Running,
            website_id: Some("site-a".into()),
        };
        let bytes = Wire::new(for_a_site.clone()).into_bytes();
        assert_eq!(
            Wire::<Event>::from_bytes(bytes).into_inner(),
            Ok(for_a_site)
        );
        assert!(crosses_nodes(&event));
        assert!(!crosses_nodes(&Event::NodeLeft {
            node: "n".into(),
            reason: "r".into()
        }));
    }
}
