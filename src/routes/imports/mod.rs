//! `/api/v1/imports` (intelligence.use): keyword exports and product feeds uploaded over HTTP,
//! stored in the database so that any node's opportunity scanner can import them as a task.

pub mod create;
mod form;
mod upload;
