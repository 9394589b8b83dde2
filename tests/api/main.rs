//! empire's integration tests: one binary, so it links once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analytics;
mod cache;
mod cli;
mod cluster;
mod contract;
mod crash;
mod gateway;
mod go;
mod health;
mod helpers;
mod intelligence;
mod leads;
mod live;
mod metrics;
mod n8n;
mod outbound;
mod queue;
mod ready;
mod runtime;
mod security;
mod sites;
mod store;
mod webhooks;
mod websites;
