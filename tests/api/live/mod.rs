//! Live WebSockets: handshake checks, task events in order, resume, slow consumers.

mod browser;
mod dashboard;
mod worker;
