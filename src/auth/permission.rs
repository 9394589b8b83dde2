//! The six permissions. `admin.full` implies every other.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum Permission {
    #[serde(rename = "agents.read")]
    AgentsRead,
    #[serde(rename = "agents.manage")]
    AgentsManage,
    #[serde(rename = "websites.read")]
    WebsitesRead,
    #[serde(rename = "websites.manage")]
    WebsitesManage,
    #[serde(rename = "intelligence.use")]
    IntelligenceUse,
    #[serde(rename = "admin.full")]
    AdminFull,
}

impl Permission {
    pub const ALL: [Permission; 6] = [
        Permission::AgentsRead,
        Permission::AgentsManage,
        Permission::WebsitesRead,
        Permission::WebsitesManage,
        Permission::IntelligenceUse,
        Permission::AdminFull,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::AgentsRead => "agents.read",
            Permission::AgentsManage => "agents.manage",
            Permission::WebsitesRead => "websites.read",
            Permission::WebsitesManage => "websites.manage",
            Permission::IntelligenceUse => "intelligence.use",
            Permission::AdminFull => "admin.full",
        }
    }

    /// Parses a comma-separated list such as `agents.read,websites.read`.
    pub fn parse_list(text: &str) -> Result<Vec<Permission>, UnknownPermission> {
        let mut permissions = text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Permission>, UnknownPermission>>()?;
        permissions.sort();
        permissions.dedup();
        Ok(permissions)
    }

    /// What an API key may do: what its scopes say, and never more than its user can do now.
    pub fn narrow(user: &[Permission], scopes: &[Permission]) -> Vec<Permission> {
        let user_can = |p: Permission| user.contains(&p) || user.contains(&Permission::AdminFull);
        let mut effective: Vec<Permission> = if scopes.contains(&Permission::AdminFull) {
            Permission::ALL
                .into_iter()
                .filter(|p| user_can(*p))
                .collect()
        } else {
            scopes.iter().copied().filter(|p| user_can(*p)).collect()
        };
        effective.sort();
        effective.dedup();
        effective
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no permission; the message lists the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown permission `{0}` (known: {known})", known = known_permissions())]
pub struct UnknownPermission(pub String);

fn known_permissions() -> String {
    let known: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
    known.join(", ")
}

impl FromStr for Permission {
    type Err = UnknownPermission;

    fn from_str(text: &str) -> Result<Self, UnknownPermission> {
        Permission::ALL
            .into_iter()
            .find(|p| p.as_str() == text)
            .ok_or_else(|| UnknownPermission(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse_sorted_and_unique() {
        let parsed = Permission::parse_list("websites.read, agents.read,agents.read").unwrap();
        assert_eq!(
            parsed,
            vec![Permission::AgentsRead, Permission::WebsitesRead]
        );
    }

    #[test]
    fn unknown_permissions_are_named() {
        let error = Permission::parse_list("agents.read,root").unwrap_err();
        assert!(error.to_string().contains("`root`"), "{error}");
    }

    #[test]
    fn a_key_never_exceeds_its_user() {
        use Permission::*;
        let narrow = Permission::narrow;
        assert_eq!(
            narrow(&[AgentsRead], &[AgentsRead, AgentsManage]),
            vec![AgentsRead]
        );
        assert_eq!(narrow(&[AdminFull], &[WebsitesRead]), vec![WebsitesRead]);
        assert_eq!(
            narrow(&[AgentsRead, WebsitesRead], &[AdminFull]),
            vec![AgentsRead, WebsitesRead]
        );
        assert_eq!(narrow(&[], &[AgentsRead]), Vec::<Permission>::new());
    }
}
