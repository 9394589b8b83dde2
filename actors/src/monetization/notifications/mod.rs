//! What the networks tell us about sales: AWIN's transaction notifications and Digistore24's
//! IPN, read into one [`Notice`] and recorded once, however often they are resent.

pub mod awin;
pub mod digistore24;

use empire_schema::models::{Conversion, Delivery, Recorded, ReportedSale};
use empire_schema::types::Network;
use empire_schema::{Db, StoreResult};

use crate::intelligence::imports::money::parse_amount;

/// One notification.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// About a sale: new, or a new status of a known one.
    Sale {
        /// Unique per network: a resent notification has the same key.
        event_key: String,
        event: String,
        sale: ReportedSale,
    },
    /// Anything else (a connection test, an affiliation): acknowledged and kept.
    Other { event_key: String, event: String },
}

/// A notification that cannot be read, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    #[error("`{0}` is missing")]
    Missing(&'static str),
    #[error("`{0}` is not valid")]
    Invalid(&'static str),
}

/// What recording a notice did, for the log and the metrics.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sale(Box<Recorded>),
    /// A notice about no sale; `false` when it was seen before.
    Noted(bool),
}

/// Stores `notice` from `network`.
pub async fn record(db: &Db, network: Network, notice: &Notice) -> StoreResult<Outcome> {
    match notice {
        Notice::Sale {
            event_key,
            event,
            sale,
        } => {
            let recorded = Conversion::record(db, event_key, event, sale).await?;
            if let Recorded::Applied(sale) = &recorded {
                announce(db, network, sale).await;
            }
            Ok(Outcome::Sale(Box::new(recorded)))
        }
        Notice::Other { event_key, event } => Conversion::note_event(db, network, event_key, event)
            .await
            .map(Outcome::Noted),
    }
}

/// Tells webhook subscribers (`conversion.recorded`) that a sale is stored as it now stands;
/// each status of a sale is one event. A failure is logged: the sale is already recorded.
async fn announce(db: &Db, network: Network, sale: &Conversion) {
    let data = serde_json::json!({
        "conversion_id": sale.id,
        "network": network.as_str(),
        "external_id": sale.external_id,
        "status": sale.status,
        "commission_cents": sale.commission_cents,
        "currency": sale.currency,
        "website_id": sale.website_id,
        "page_id": sale.page_id,
        "offer_id": sale.offer_id,
    });
    let key = format!("conversion/{}/{}", sale.id, sale.status.as_str());
    if let Err(error) = Delivery::enqueue_event(db, "conversion.recorded", &key, data).await {
        tracing::warn!(%error, key, "conversion.recorded not queued");
    }
}

/// `"37.00"` → 3700; `None` for anything that is not a plain non-negative amount.
fn cents(text: &str) -> Option<i64> {
    let amount = parse_amount(text).ok()?;
    i64::try_from(amount.cents).ok()
}
