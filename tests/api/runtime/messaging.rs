//! Agent-to-agent messages through the runtime: request/reply to an agent type or instance,
//! and notes.

use std::time::Duration;

use empire_actors::kinds::AgentId;
use empire_actors::runtime::{AgentNotice, AgentReply, AgentRequest, MessageError, Target};
use serde_json::json;

use crate::helpers::{TestBackend, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_ask_and_tell_each_other() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.agents.website_builder = 0
    })
    .await;
    let messenger = app.runtime.messenger();
    let timeout = Duration::from_secs(2);

    let audit = AgentRequest::Execute {
        from: "content_generator".into(),
        kind: "audit_page".into(),
        input: json!({"html": "<title>Espresso</title><h1>Espresso</h1>", "keyword": "espresso"}),
    };
    let Ok(AgentReply::Output(output)) = messenger
        .ask(&Target::Agent(AgentId::SeoOptimizer), audit, timeout)
        .await
    else {
        panic!("the SEO agent answers with an audit");
    };
    assert!(output["score"].is_number());

    let instances = app.runtime.instances(AgentId::Monetization).await;
    let name = instances[1].instance.clone();
    let target = Target::Instance(AgentId::Monetization, name.clone());
    let pong = messenger
        .ask(
            &target,
            AgentRequest::Ping {
                from: "test".into(),
            },
            timeout,
        )
        .await;
    assert_eq!(pong, Ok(AgentReply::Pong { instance: name }));

    let notice = AgentNotice {
        from: "seo_optimizer".into(),
        topic: "page_audited".into(),
        payload: json!({"score": 90}),
    };
    messenger.tell(&target, notice).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let received: u64 = app
        .runtime
        .instances(AgentId::Monetization)
        .await
        .iter()
        .map(|i| i.messages_received)
        .sum();
    assert_eq!(received, 2, "the ping and the note");

    let nobody = messenger
        .ask(
            &Target::Agent(AgentId::WebsiteBuilder),
            AgentRequest::Ping {
                from: "test".into(),
            },
            timeout,
        )
        .await;
    assert_eq!(
        nobody,
        Err(MessageError::NoInstance("website_builder".into()))
    );
    let refused = messenger
        .ask(
            &Target::Agent(AgentId::SeoOptimizer),
            AgentRequest::Execute {
                from: "t".into(),
                kind: "fly".into(),
                input: json!({}),
            },
            timeout,
        )
        .await;
    assert!(matches!(refused, Ok(AgentReply::Refused(_))), "{refused:?}");
}
