//! What clients send on the WebSockets: dashboard and agent sockets' `subscribe` / `ping`
//! frames, and an external worker's `heartbeat` / `progress` / `result` / `failure` frames.
//!
//! Properties: nothing panics; every client frame gets exactly one JSON answer of type
//! `subscribed`, `pong` or `error`, and an agent socket's fixed agent is never widened.
#![no_main]

use empire::ws::connection::Filter;
use empire::ws::worker::WorkerFrame;
use empire_schema::AgentId;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    // actix-ws hands the sockets text frames only as valid UTF-8.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let fixed = AgentId::ALL[data.len() % AgentId::ALL.len()];
    let mut filter = Filter {
        fixed_agent: Some(fixed),
        ..Filter::default()
    };
    let reply = filter
        .command(text)
        .unwrap_or_else(|| panic!("no answer to {text:?}"));
    let reply: Value = serde_json::from_str(&reply).unwrap_or_else(|e| panic!("{e}: {reply}"));
    let kind = reply
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    assert!(matches!(kind, "subscribed" | "pong" | "error"), "{reply}");
    assert_eq!(filter.fixed_agent, Some(fixed));

    let _ = WorkerFrame::parse(text);
});
