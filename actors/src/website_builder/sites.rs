//! `[sites]`: where built sites are kept and how they are addressed, and the node's handle on
//! them that the website factory's kinds share.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::deploy::cloudflare::CloudflareSettings;
use super::deploy::indexnow::IndexNowSettings;
use super::images::ImageSettings;
use super::site::LegalSettings;
use super::site::publish::SiteStore;
use crate::monetization::settings::AffiliateSettings;
use crate::seo_optimizer::audit_site::SeoSettings;

/// `[sites]` of `cluster.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSettings {
    /// Where builds are kept; empty means `<data_dir>/sites`. In a cluster every node must see
    /// the same folder (shared storage), or sites must be deployed to a target.
    pub dir: PathBuf,
    /// Builds kept per site for rollback (the published one is always kept).
    pub keep_builds: usize,
    /// The front door's public address. Affiliate links on built sites go through its
    /// `/go/{code}`, and a site without a domain is served under its `/sites/{slug}/`.
    pub public_url: String,
    /// Also copy every published site to `<deploy_dir>/<slug>/`, for any web server (swapped
    /// in whole); empty means no copy.
    pub deploy_dir: String,
    /// Cloudflare Pages direct upload on publish; off until an account and token are set.
    pub cloudflare: CloudflareSettings,
    /// IndexNow ping on publish.
    pub indexnow: IndexNowSettings,
    /// `[sites.affiliate]`: our ids at the networks, carried by every tracked link.
    pub affiliate: AffiliateSettings,
    /// `[sites.seo]`: the audit's thresholds and the publish gate.
    pub seo: SeoSettings,
    /// `[sites.legal]`: the operator's details for every site's imprint and privacy page, for
    /// each field a site does not set itself (German sites need the postal address).
    pub legal: LegalSettings,
    /// `[sites.images]`: how product and article pictures are scaled and encoded.
    pub images: ImageSettings,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            dir: PathBuf::new(),
            keep_builds: 5,
            public_url: "http://127.0.0.1:8080".to_owned(),
            deploy_dir: String::new(),
            cloudflare: CloudflareSettings::default(),
            indexnow: IndexNowSettings::default(),
            affiliate: AffiliateSettings::default(),
            seo: SeoSettings::default(),
            legal: LegalSettings::default(),
            images: ImageSettings::default(),
        }
    }
}

impl SiteSettings {
    /// `(setting, value, reason)` for the first bad setting.
    pub fn validate(&self) -> Result<(), (String, String, String)> {
        let public_ok = url::Url::parse(&self.public_url)
            .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some());
        if !public_ok {
            return Err((
                "sites.public_url".into(),
                self.public_url.clone(),
                "must be an http(s) URL".into(),
            ));
        }
        self.seo.validate().map_err(|(setting, reason)| {
            let value = match setting {
                "sites.seo.min_page_score" => self.seo.min_page_score.to_string(),
                _ => self.seo.duplicate_similarity.to_string(),
            };
            (setting.to_owned(), value, reason)
        })?;
        self.images.validate().map_err(|(setting, reason)| {
            let value = match setting {
                "sites.images.max_width" => self.images.max_width.to_string(),
                "sites.images.quality" => self.images.quality.to_string(),
                _ => self.images.max_source_bytes.to_string(),
            };
            (setting.to_owned(), value, reason)
        })?;
        self.cloudflare.validate()?;
        self.indexnow.validate()
    }

    /// The settings with the Cloudflare token masked, for printing.
    pub fn redacted(&self) -> SiteSettings {
        let mut shown = self.clone();
        if !shown.cloudflare.api_token.is_empty() {
            shown.cloudflare.api_token = "***".into();
        }
        shown
    }

    /// The folder published sites are copied to, when set.
    pub fn deploy_dir(&self) -> Option<PathBuf> {
        Some(self.deploy_dir.trim())
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
    }
}

/// The node's built sites: the store of builds and the public address links point to.
#[derive(Debug, Clone)]
pub struct Sites {
    pub store: SiteStore,
    /// Where localised pictures are cached for every site's builds: `<dir>/.images` (a slug
    /// never starts with `.`).
    pub image_cache_dir: PathBuf,
    /// [`SiteSettings::public_url`] without a trailing `/`.
    pub public_url: String,
    pub settings: SiteSettings,
}

impl Sites {
    /// `default_dir` is used when the settings name no folder.
    pub fn new(settings: SiteSettings, default_dir: PathBuf) -> Sites {
        let dir = if settings.dir.as_os_str().is_empty() {
            default_dir
        } else {
            settings.dir.clone()
        };
        Sites {
            image_cache_dir: dir.join(".images"),
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

    /// Where the sites' beacon posts page views: the front door's `/t/e`.
    pub fn analytics_url(&self) -> String {
        format!("{}/t/e", self.public_url)
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

    #[test]
    fn settings_are_checked_and_printed_without_the_token() {
        let mut settings = SiteSettings::default();
        assert!(settings.validate().is_ok());
        assert_eq!(settings.deploy_dir(), None);
        settings.deploy_dir = " /srv/www ".into();
        assert_eq!(settings.deploy_dir(), Some(PathBuf::from("/srv/www")));
        settings.cloudflare.account_id = "acc".into();
        settings.cloudflare.api_token = "secret-token".into();
        assert!(!format!("{:?}", settings.redacted()).contains("secret-token"));
        assert_eq!(settings.redacted().cloudflare.api_token, "***");
        settings.seo.duplicate_similarity = 1.5;
        let (setting, value, _) = settings.validate().unwrap_err();
        assert_eq!(
            (setting.as_str(), value.as_str()),
            ("sites.seo.duplicate_similarity", "1.5")
        );
        settings.seo = SeoSettings::default();
        settings.indexnow.enabled = true;
        assert_eq!(settings.validate().unwrap_err().0, "sites.indexnow.key");
        settings.public_url = "not a url".into();
        assert_eq!(settings.validate().unwrap_err().0, "sites.public_url");
    }
}
