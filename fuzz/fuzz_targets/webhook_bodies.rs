//! The JSON bodies other systems post to us: an n8n hook's body, which becomes the input of a
//! task kind (checked by the kind catalogue, a pure kind then run) or of a workflow (checked,
//! then each step's input built from it), and a new outbound webhook subscription.
//!
//! The input is a first line naming the target (`<agent>/<kind>`, `workflow/<kind>` or
//! `subscription`), then the body.
//!
//! Properties: nothing panics, whatever the body; a workflow builds its step inputs from any
//! results without panicking; an accepted subscription URL is http(s) and never a literal
//! loopback, private, link-local or unspecified address.
#![no_main]

use std::net::IpAddr;

use empire::config::WebhooksConfig;
use empire::outbound::deliver::target_allowed;
use empire::routes::webhooks::subscriptions::NewSubscription;
use empire_actors::kinds::{self, AgentId};
use empire_actors::workflows;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some(newline) = data.iter().position(|&b| b == b'\n') else {
        return;
    };
    let (Ok(target), body) = (std::str::from_utf8(&data[..newline]), &data[newline + 1..]) else {
        return;
    };
    if target == "subscription" {
        subscription(body);
        return;
    }
    // What the n8n route does first: the body must be JSON.
    let Ok(input) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    match target.split_once('/') {
        Some(("workflow", kind)) => workflow(kind, &input),
        Some((agent, kind)) => {
            let Ok(agent) = agent.parse::<AgentId>() else {
                return;
            };
            task(agent, kind, &input);
        }
        None => {}
    }
});

fn task(agent: AgentId, kind: &str, input: &Value) {
    let Ok(spec) = kinds::find(agent, kind) else {
        return;
    };
    if spec.validate(input).is_ok() {
        // Pure kinds run here; a service kind answers that it needs the runtime.
        let _ = spec.execute(input);
    }
}

fn workflow(kind: &str, input: &Value) {
    let Ok(spec) = workflows::find(kind) else {
        return;
    };
    if spec.validate(input).is_err() {
        return;
    }
    // Earlier steps' results come back from workers and the LLM: any JSON must be handled.
    let mut results = Vec::new();
    for step in 0..spec.steps.len() {
        let _ = spec.step_input(step, input, &results);
        results.push(input.clone());
    }
    let _ = spec.output(input, &results);
}

fn subscription(body: &[u8]) {
    let Ok(new) = serde_json::from_slice::<NewSubscription>(body) else {
        return;
    };
    let config = WebhooksConfig::default();
    if target_allowed(&new.url, &config).is_err() {
        return;
    }
    let url = url::Url::parse(&new.url).unwrap_or_else(|e| panic!("allowed but not a URL: {e}"));
    assert!(matches!(url.scheme(), "http" | "https"), "{url}");
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(url::Host::Domain(_)) => return,
        None => panic!("allowed without a host: {url}"),
    };
    assert!(!private(ip), "allowed a private address: {url}");
}

/// Addresses no subscriber may point us at (an independent list, not the product's).
fn private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| private(IpAddr::V4(v4)))
        }
    }
}
