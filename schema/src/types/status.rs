//! The states a task, a workflow and a website move through, as stored in their `status` columns.

crate::text_enum! {
    pub enum TaskStatus("task status") {
        Queued = "queued",
        Running = "running",
        Succeeded = "succeeded",
        Failed = "failed",
        Dead = "dead",
        Cancelled = "cancelled",
    }
}

crate::text_enum! {
    pub enum WorkflowStatus("workflow status") {
        Running = "running",
        Succeeded = "succeeded",
        Failed = "failed",
        Cancelled = "cancelled",
    }
}

impl WorkflowStatus {
    /// The statuses a workflow never leaves.
    pub const ENDED: [WorkflowStatus; 3] = [
        WorkflowStatus::Succeeded,
        WorkflowStatus::Failed,
        WorkflowStatus::Cancelled,
    ];
}

crate::text_enum! {
    pub enum WebsiteStatus("website status") {
        Draft = "draft",
        Building = "building",
        Published = "published",
        Failed = "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_keep_their_wire_strings() {
        let strings: Vec<&str> = TaskStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            strings,
            [
                "queued",
                "running",
                "succeeded",
                "failed",
                "dead",
                "cancelled"
            ]
        );
        assert_eq!(
            serde_json::to_value(WorkflowStatus::Cancelled).unwrap(),
            "cancelled"
        );
        assert_eq!("published".parse(), Ok(WebsiteStatus::Published));
        assert!("Queued".parse::<TaskStatus>().is_err());
    }
}

crate::text_enum! {
    /// What an LLM spend budget limits: the whole cluster, one agent or one website.
    pub enum BudgetScope("budget scope") {
        Cluster = "cluster",
        Agent = "agent",
        Website = "website",
    }
}
