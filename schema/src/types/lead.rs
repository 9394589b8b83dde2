//! The leads funnel and the mail outbox: where a lead stands and what became of a message.

crate::text_enum! {
    /// Where a lead is in the funnel. A stage only moves forward ([`FunnelStage::rank`]).
    pub enum FunnelStage("funnel stage") {
        /// Left an address and agreed to the consent text; not yet confirmed.
        Captured = "captured",
        /// Clicked the double opt-in link.
        Confirmed = "confirmed",
        /// Being sent follow-ups.
        Nurtured = "nurtured",
        /// Bought through one of the sites.
        Converted = "converted",
    }
}

impl FunnelStage {
    pub fn rank(self) -> u8 {
        match self {
            Self::Captured => 0,
            Self::Confirmed => 1,
            Self::Nurtured => 2,
            Self::Converted => 3,
        }
    }
}

crate::text_enum! {
    /// What became of a message in the mail outbox.
    pub enum EmailStatus("email status") {
        /// Waiting to be sent (or retried).
        Queued = "queued",
        /// Accepted by the provider.
        Sent = "sent",
        /// Written to the log by the embedded `outbox` provider, which sends nothing.
        Logged = "logged",
        /// Not sent: the address is on the suppression list.
        Suppressed = "suppressed",
        /// Refused by the provider, or its attempts used up.
        Failed = "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funnel_stages_only_move_forward_in_order() {
        let stages = [
            FunnelStage::Captured,
            FunnelStage::Confirmed,
            FunnelStage::Nurtured,
            FunnelStage::Converted,
        ];
        assert!(stages.windows(2).all(|w| w[0].rank() < w[1].rank()));
        assert_eq!("nurtured".parse(), Ok(FunnelStage::Nurtured));
        assert_eq!(EmailStatus::Logged.as_str(), "logged");
    }
}
