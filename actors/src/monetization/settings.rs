//! `[sites.affiliate]`: our own ids at the affiliate networks, which every tracked link carries.

use serde::{Deserialize, Serialize};

/// Our publisher identities. An offer whose link is not a network tracking link already needs
/// the id of its network here; without it the offer gets no link (nothing is made up).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AffiliateSettings {
    /// Our AWIN publisher id (`awinaffid`), digits only.
    pub awin_publisher_id: String,
    /// Our Digistore24 affiliate name.
    pub digistore24_affiliate_id: String,
}
