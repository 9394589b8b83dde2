//! The closed vocabularies of the website factory that are stored in rows: what a page is, what
//! an article is, where a build stands, which network an offer is on and whether it still works.

crate::text_enum! {
    /// What a page is; it decides the page's template, URL and structured data.
    pub enum PageKind("page kind") {
        Home = "home",
        Category = "category",
        Article = "article",
        Imprint = "imprint",
        Privacy = "privacy",
    }
}

crate::text_enum! {
    /// What kind of article the content generator writes for a page.
    pub enum ArticleType("article type") {
        Review = "review",
        Comparison = "comparison",
        /// A best-of list.
        Listicle = "listicle",
        /// A how-to guide.
        Guide = "guide",
        /// The text of a category page.
        Category = "category",
    }
}

crate::text_enum! {
    /// Where one build of a site stands.
    pub enum BuildStatus("build status") {
        /// Built and kept; not (yet) live.
        Built = "built",
        /// Built, but the publish gate refused it.
        Rejected = "rejected",
        /// Live now or earlier (the site's `published_build_id` names the live one).
        Published = "published",
        /// Dropped by build retention; its files are gone.
        Pruned = "pruned",
    }
}

crate::text_enum! {
    /// The affiliate network an offer is on.
    pub enum Network("network") {
        Awin = "awin",
        Digistore24 = "digistore24",
    }
}

crate::text_enum! {
    /// Whether an offer's link still works; a broken one is replaced by a fallback.
    pub enum OfferStatus("offer status") {
        Active = "active",
        Broken = "broken",
    }
}

crate::text_enum! {
    /// Where a reported sale stands at its network. A status only ever moves forward (see
    /// [`ConversionStatus::rank`]): networks resend old notifications, out of order.
    pub enum ConversionStatus("conversion status") {
        /// Recorded, not yet confirmed (AWIN's pending).
        Pending = "pending",
        /// Confirmed and paid out (AWIN's approved; a Digistore24 payment).
        Approved = "approved",
        /// Refused by the advertiser (AWIN's declined or deleted).
        Declined = "declined",
        /// Paid back to the buyer.
        Refunded = "refunded",
        /// Taken back by the buyer's bank.
        Chargeback = "chargeback",
    }
}

impl ConversionStatus {
    /// How far along a status is: pending, then approved, then one of the final ones.
    pub fn rank(self) -> u8 {
        match self {
            Self::Pending => 0,
            Self::Approved => 1,
            Self::Declined | Self::Refunded | Self::Chargeback => 2,
        }
    }

    /// Whether the commission counts as earned revenue (pending and approved ones do).
    pub fn earns(self) -> bool {
        matches!(self, Self::Pending | Self::Approved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_vocabularies_keep_their_wire_strings() {
        assert_eq!("listicle".parse(), Ok(ArticleType::Listicle));
        assert_eq!(serde_json::to_value(PageKind::Imprint).unwrap(), "imprint");
        assert_eq!(Network::Digistore24.as_str(), "digistore24");
        assert!("Built".parse::<BuildStatus>().is_err());
        assert!("paused".parse::<OfferStatus>().is_err());
    }
}
