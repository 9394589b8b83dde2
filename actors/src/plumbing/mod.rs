//! What the runtime's actors and the cluster's both use, and neither owns: the event type, the
//! messages of agent instances and core actors, their wire format, process-group names, the
//! directory of this node's core actors and instance loads, and metric names.

pub mod chain;
pub mod control;
pub mod directory;
pub mod event;
pub(crate) mod groups;
pub mod messages;
pub mod metrics;
pub(crate) mod wire;
