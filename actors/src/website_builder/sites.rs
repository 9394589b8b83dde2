//! `[sites]`: where built sites are kept and how they are addressed, and the node's handle on
//! them that the website factory's kinds share.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::site::publish::SiteStore;

/// `[sites]` of `cluster.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSettings {
    /// Where builds are kept; unset means `<data_dir>/sites`. In a cluster every node must see
    /// the same folder (shared storage), or sites must be deployed to a target.
    pub dir: Option<PathBuf>,
    /// Builds kept per site for rollback (the published one is always kept).
    pub keep_builds: usize,
    /// The front door's public address. Affiliate links on built sites go through its
    /// `/go/{code}`, and a site without a domain is served under its `/sites/{slug}/`.
    pub public_url: String,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            dir: None,
            keep_builds: 5,
            public_url: "http://127.0.0.1:8080".to_owned(),
        }
    }
}

/// The node's built sites: the store of builds and the public address links point to.
#[derive(Debug, Clone)]
pub struct Sites {
    pub store: SiteStore,
    /// [`SiteSettings::public_url`] without a trailing `/`.
    pub public_url: String,
    pub settings: SiteSettings,
}

impl Sites {
    /// `default_dir` is used when the settings name no folder.
    pub fn new(settings: SiteSettings, default_dir: PathBuf) -> Sites {
        let dir = settings.dir.clone().unwrap_or(default_dir);
        Sites {
            store: SiteStore::new(dir, settings.keep_builds),
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
            settings,
        }
    }

    /// Where a site is read: its own domain, or the front door's `/sites/{slug}/`.
    pub fn base_url(&self, slug: &str, domain: Option<&str>) -> String {
        match domain {
            Some(domain) => format!("https://{domain}/"),
            None => format!("{}/sites/{slug}/", self.public_url),
        }
    }

    /// The address of a monetised link: `/go/{code}` on the front door.
    pub fn go_url(&self, code: &str) -> String {
        format!("{}/go/{code}", self.public_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_come_from_the_public_url() {
        let settings = SiteSettings {
            public_url: "https://empire.example/".into(),
            ..SiteSettings::default()
        };
        let sites = Sites::new(settings, PathBuf::from("/tmp/sites"));
        assert_eq!(
            sites.base_url("garden", None),
            "https://empire.example/sites/garden/"
        );
        assert_eq!(
            sites.base_url("garden", Some("garden.example")),
            "https://garden.example/"
        );
        assert_eq!(sites.go_url("abc"), "https://empire.example/go/abc");
    }
}
