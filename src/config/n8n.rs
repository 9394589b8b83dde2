//! `[integrations.n8n.hooks.NAME]`: inbound hooks for n8n (or any automation) at
//! `POST /webhooks/n8n/NAME`. Each hook authenticates its caller by a header secret (n8n's
//! "Header Auth") or a user name and password ("Basic Auth"), and turns the JSON body into a
//! task of one kind (`agent` + `kind`) or a workflow (`workflow`), through the runtime like any
//! other request. Secrets are environment variables by the usual rule
//! (`EMPIRE_INTEGRATIONS_N8N_HOOKS_<NAME>_SECRET`) and are never shown.

use std::collections::BTreeMap;

use empire_actors::kinds::{self, AgentId};
use empire_schema::Secret;
use serde::{Deserialize, Serialize};

/// The header that carries a hook's secret unless the hook names another.
pub const DEFAULT_SECRET_HEADER: &str = "x-empire-hook-secret";
/// The shortest secret or password accepted.
pub const MIN_SECRET_CHARS: usize = 16;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct N8nConfig {
    pub hooks: BTreeMap<String, HookConfig>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HookConfig {
    /// Header auth: the header (default `x-empire-hook-secret`) must carry this secret.
    #[serde(with = "empire_schema::secret::exposed")]
    pub secret: Secret,
    pub header: String,
    /// Basic auth, instead of or beside the header.
    pub username: String,
    #[serde(with = "empire_schema::secret::exposed")]
    pub password: Secret,
    /// A task: the agent and kind; the body is its input.
    pub agent: String,
    pub kind: String,
    /// Or a workflow kind; the body is its input.
    pub workflow: String,
}

/// What a hook starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookTarget {
    Task { agent: AgentId, kind: String },
    Workflow(String),
}

impl HookConfig {
    /// The header a secret is read from, lower case.
    pub fn secret_header(&self) -> String {
        let header = self.header.trim();
        if header.is_empty() {
            DEFAULT_SECRET_HEADER.to_owned()
        } else {
            header.to_ascii_lowercase()
        }
    }

    pub fn target(&self) -> Result<HookTarget, String> {
        match (self.workflow.trim(), self.agent.trim(), self.kind.trim()) {
            ("", "", _) | ("", _, "") => Err("needs `agent` and `kind`, or `workflow`".into()),
            ("", agent, kind) => {
                let agent: AgentId = agent
                    .parse()
                    .map_err(|_| format!("`agent`: no agent `{agent}`"))?;
                kinds::find(agent, kind).map_err(|error| format!("`kind`: {error}"))?;
                Ok(HookTarget::Task {
                    agent,
                    kind: kind.to_owned(),
                })
            }
            (workflow, "", "") => {
                empire_actors::workflows::find(workflow)
                    .map_err(|error| format!("`workflow`: {error}"))?;
                Ok(HookTarget::Workflow(workflow.to_owned()))
            }
            _ => Err("names a task (`agent`, `kind`) and a `workflow`: only one".into()),
        }
    }
}

impl N8nConfig {
    /// `(setting, reason)` for the first bad hook.
    pub fn validate(&self) -> Result<(), (String, String)> {
        for (name, hook) in &self.hooks {
            let setting = format!("integrations.n8n.hooks.{name}");
            let name_ok = !name.is_empty()
                && name.len() <= 64
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !name_ok {
                return Err((setting, "a hook name is 1-64 of a-z 0-9 _".into()));
            }
            hook.target().map_err(|reason| (setting.clone(), reason))?;
            let header_auth = !hook.secret.is_empty();
            let basic_auth = !hook.username.is_empty() || !hook.password.is_empty();
            if !header_auth && !basic_auth {
                return Err((
                    setting,
                    "needs a `secret` or a `username` and `password`".into(),
                ));
            }
            if header_auth && hook.secret.expose().chars().count() < MIN_SECRET_CHARS {
                return Err((
                    format!("{setting}.secret"),
                    format!("must be at least {MIN_SECRET_CHARS} characters"),
                ));
            }
            if basic_auth
                && (hook.username.is_empty()
                    || hook.password.expose().chars().count() < MIN_SECRET_CHARS)
            {
                return Err((
                    format!("{setting}.password"),
                    format!(
                        "basic auth needs a username and a password of at least {MIN_SECRET_CHARS} characters"
                    ),
                ));
            }
        }
        Ok(())
    }

    pub fn redacted(&self) -> N8nConfig {
        let mut shown = self.clone();
        for hook in shown.hooks.values_mut() {
            for secret in [&mut hook.secret, &mut hook.password] {
                if !secret.is_empty() {
                    *secret = "***".into();
                }
            }
        }
        shown
    }
}
