//! Where a Pages deployment stands. Cloudflare takes a direct upload through stages (`queued`,
//! `initialize`, `deploy`); it is live once the `deploy` stage succeeds, and failed when any
//! stage fails or is cancelled.

use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;

use super::{Auth, CloudflareError, PagesClient};

/// A deployment as Cloudflare answers for it (only what the client reads).
#[derive(Debug, Clone, Deserialize)]
pub(super) struct DeploymentState {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub latest_stage: Option<Stage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(super) struct Stage {
    pub name: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Progress {
    Live,
    Failed(String),
    /// Still going: `stage: status`.
    Pending(String),
}

impl DeploymentState {
    pub fn progress(&self) -> Progress {
        let Some(stage) = &self.latest_stage else {
            return Progress::Pending("unknown".into());
        };
        let shown = format!("{}: {}", stage.name, stage.status);
        match (stage.name.as_str(), stage.status.as_str()) {
            ("deploy", "success") => Progress::Live,
            (_, "failure" | "canceled") => Progress::Failed(shown),
            _ => Progress::Pending(shown),
        }
    }
}

impl PagesClient {
    /// Asks for the deployment every `poll_ms` until it is live, has failed, or `wait_ms` has
    /// passed (then it is reported as not live yet: Cloudflare carries on without us).
    pub(super) async fn wait_until_live(
        &self,
        deployments: &str,
        mut state: DeploymentState,
    ) -> Result<(DeploymentState, bool), CloudflareError> {
        let deadline = tokio::time::Instant::now() + Duration::from_millis(self.settings.wait_ms);
        loop {
            match state.progress() {
                Progress::Live => return Ok((state, true)),
                Progress::Failed(stage) => {
                    return Err(CloudflareError::Failed {
                        id: state.id,
                        stage,
                    });
                }
                Progress::Pending(_) if tokio::time::Instant::now() >= deadline => {
                    return Ok((state, false));
                }
                Progress::Pending(_) => {}
            }
            tokio::time::sleep(Duration::from_millis(self.settings.poll_ms.max(1))).await;
            let url = format!("{deployments}/{}", state.id);
            state = self
                .call(
                    "deployment status",
                    Method::GET,
                    &url,
                    Auth::ApiToken,
                    |r| r,
                )
                .await?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(name: &str, status: &str) -> DeploymentState {
        DeploymentState {
            id: "d".into(),
            url: None,
            latest_stage: Some(Stage {
                name: name.into(),
                status: status.into(),
            }),
        }
    }

    #[test]
    fn only_a_successful_deploy_stage_is_live() {
        assert_eq!(at("deploy", "success").progress(), Progress::Live);
        assert_eq!(
            at("queued", "idle").progress(),
            Progress::Pending("queued: idle".into())
        );
        assert_eq!(
            at("initialize", "success").progress(),
            Progress::Pending("initialize: success".into())
        );
        assert_eq!(
            at("deploy", "failure").progress(),
            Progress::Failed("deploy: failure".into())
        );
        assert_eq!(
            at("initialize", "canceled").progress(),
            Progress::Failed("initialize: canceled".into())
        );
    }
}
