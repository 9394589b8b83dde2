//! Live WebSockets: handshake checks, task events in order, resume, slow consumers, fan-out,
//! shared snapshots.

mod browser;
mod dashboard;
mod fanout;
mod snapshots;
mod worker;
