//! Runtime and cluster metric names.

pub const TASKS_CLAIMED: &str = "tasks_claimed_total";
pub const TASKS_SUCCEEDED: &str = "tasks_succeeded_total";
pub const TASKS_FAILED: &str = "tasks_failed_total";
pub const TASKS_DEAD: &str = "tasks_dead_total";
pub const TASKS_IN_FLIGHT: &str = "tasks_in_flight";
pub const TASKS_BY_STATUS: &str = "tasks";
pub const QUEUE_WAIT: &str = "task_queue_wait_seconds";
pub const RUN_TIME: &str = "task_run_seconds";
pub const RESTARTS: &str = "agent_restarts_total";
pub const MESSAGE_LATENCY: &str = "agent_message_seconds";
pub const LEASES_REAPED: &str = "task_leases_expired_total";
pub const ASSIGNMENTS_REFUSED: &str = "task_assignments_refused_total";
pub const REMOTE_SENT: &str = "cluster_messages_sent_total";
pub const REMOTE_RECEIVED: &str = "cluster_messages_received_total";
pub const NODES_UP: &str = "cluster_nodes_up";
pub const LINK_RECONNECTS: &str = "cluster_link_reconnects_total";
pub const LINKS_LOST: &str = "cluster_links_lost_total";
pub const HANDSHAKES_REFUSED: &str = "cluster_handshakes_refused_total";
pub const FOREIGN_NODES: &str = "cluster_foreign_nodes_total";

pub fn describe() {
    metrics::describe_counter!(TASKS_CLAIMED, "Task attempts claimed by the dispatcher");
    metrics::describe_counter!(TASKS_SUCCEEDED, "Task attempts that succeeded");
    metrics::describe_counter!(TASKS_FAILED, "Task attempts that failed (retried or dead)");
    metrics::describe_counter!(TASKS_DEAD, "Tasks that used up their attempts");
    metrics::describe_gauge!(TASKS_IN_FLIGHT, "Task attempts running on this node");
    metrics::describe_gauge!(
        TASKS_BY_STATUS,
        "Tasks in the store by agent and status (queue depth: status=queued)"
    );
    metrics::describe_histogram!(
        QUEUE_WAIT,
        metrics::Unit::Seconds,
        "Time from queued to started"
    );
    metrics::describe_histogram!(
        RUN_TIME,
        metrics::Unit::Seconds,
        "Time from started to finished"
    );
    metrics::describe_counter!(RESTARTS, "Agent instances restarted after a failure");
    metrics::describe_histogram!(
        MESSAGE_LATENCY,
        metrics::Unit::Seconds,
        "Agent-to-agent request/reply latency"
    );
    metrics::describe_counter!(LEASES_REAPED, "Running tasks whose lease expired");
    metrics::describe_counter!(
        ASSIGNMENTS_REFUSED,
        "Attempts a full instance gave back to the queue (two dispatchers filled one slot)"
    );
    metrics::describe_counter!(REMOTE_SENT, "Agent messages sent to another node");
    metrics::describe_counter!(REMOTE_RECEIVED, "Agent messages received from another node");
    metrics::describe_gauge!(NODES_UP, "Cluster nodes up, this one included");
    metrics::describe_counter!(
        LINK_RECONNECTS,
        "Attempts to connect a lost or missing cluster link"
    );
    metrics::describe_counter!(
        LINKS_LOST,
        "Cluster links closed for silence past the heartbeat timeout"
    );
    metrics::describe_counter!(
        HANDSHAKES_REFUSED,
        "Cluster connections closed before authenticating (e.g. a wrong cookie)"
    );
    metrics::describe_counter!(
        FOREIGN_NODES,
        "Heartbeats from nodes of another database, ignored"
    );
}
