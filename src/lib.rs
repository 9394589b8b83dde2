//! empire's front door: CLI, configuration, HTTP routes, auth and metrics.
//! The actor runtime lives in `empire-actors`, storage in `empire-schema`.

pub mod auth;
pub mod beacon;
pub mod bootstrap;
pub mod cli;
pub mod commands;
pub mod config;
pub mod dashboard;
pub mod email;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod outbound;
pub mod ratelimit;
pub mod routes;
pub mod schedule;
pub mod schedules;
pub mod sqlite_lock;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod ws;
