//! Live WebSockets: handshake checks, task events in order, resume, slow consumers, fan-out.

mod browser;
mod dashboard;
mod fanout;
mod worker;
