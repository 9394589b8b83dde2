//! The kinds of workflow, as they appear in URLs, workflow rows and cluster messages.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One kind of workflow; its string form is the stable id used on the wire and in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkflowKind {
    /// Outline → render → audit → affiliate link for one keyword.
    PagePipeline,
    /// A whole website: keywords → plan → pages → monetise → build → audit → publish.
    WebsitePipeline,
    /// A website again from its stored pages: monetise → build → audit → publish.
    WebsiteRebuild,
}

impl WorkflowKind {
    /// Every kind, in catalogue order.
    pub const ALL: [WorkflowKind; 3] = [
        WorkflowKind::PagePipeline,
        WorkflowKind::WebsitePipeline,
        WorkflowKind::WebsiteRebuild,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            WorkflowKind::PagePipeline => "page_pipeline",
            WorkflowKind::WebsitePipeline => "website_pipeline",
            WorkflowKind::WebsiteRebuild => "website_rebuild",
        }
    }

    /// Whether a run of this kind makes its website (`input.website_id`): when it fails, the
    /// website is `failed` with the run's error as the reason.
    pub const fn builds_website(self) -> bool {
        matches!(
            self,
            WorkflowKind::WebsitePipeline | WorkflowKind::WebsiteRebuild
        )
    }
}

impl fmt::Display for WorkflowKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name was not one of [`WorkflowKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown workflow kind `{0}`")]
pub struct UnknownWorkflowKind(pub String);

impl FromStr for WorkflowKind {
    type Err = UnknownWorkflowKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WorkflowKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownWorkflowKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_string() {
        for kind in WorkflowKind::ALL {
            assert_eq!(kind.as_str().parse::<WorkflowKind>().unwrap(), kind);
            assert_eq!(kind.to_string(), kind.as_str());
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, serde_json::json!(kind.as_str()));
            let back: WorkflowKind = serde_json::from_value(json).unwrap();
            assert_eq!(back, kind);
        }
        assert_eq!(WorkflowKind::PagePipeline.as_str(), "page_pipeline");
    }

    #[test]
    fn unknown_kinds_are_rejected() {
        assert_eq!(
            "PagePipeline".parse::<WorkflowKind>(),
            Err(UnknownWorkflowKind("PagePipeline".into()))
        );
        assert!("".parse::<WorkflowKind>().is_err());
        assert!(
            serde_json::from_value::<WorkflowKind>(serde_json::json!("page-pipeline")).is_err()
        );
    }
}
