//! Earnings per click: which linked offers earn clearly less than the best of their niche, and
//! which offer to put in their place. Only a recommendation: a person decides, since a page was
//! written about the product it names.

use std::collections::{BTreeSet, HashMap};

use chrono::Duration;
use empire_schema::clock::now;
use empire_schema::models::{Click, Conversion, Offer};
use serde::{Deserialize, Serialize};

use super::{CLICK_WINDOW_DAYS, store};
use crate::kinds::KindError;
use crate::services::Services;

/// Clicks an offer needs in the window before its EPC means anything.
pub const MIN_CLICKS: i64 = 30;
/// An offer earning less than this share of its niche's best EPC is low.
pub const LOW_EPC_SHARE: f64 = 0.5;
/// The currency of an offer that names none.
const DEFAULT_CURRENCY: &str = "EUR";

/// One offer's clicks and earnings in the window.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferEarnings {
    pub offer_id: String,
    pub name: String,
    pub clicks: i64,
    /// Commission (pending and approved sales) in cents of the offer's currency.
    pub commission_cents: i64,
}

impl OfferEarnings {
    /// Cents earned per click.
    pub fn epc_cents(&self) -> f64 {
        if self.clicks == 0 {
            0.0
        } else {
            self.commission_cents as f64 / self.clicks as f64
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub offer_id: String,
    pub name: String,
    pub clicks: i64,
    /// Cents per click over the last 30 days.
    pub epc_cents: f64,
    /// The niche's best-earning offer, to link instead.
    pub replacement_id: String,
    pub replacement_name: String,
    pub replacement_epc_cents: f64,
}

/// Offers with at least [`MIN_CLICKS`] clicks whose EPC is below [`LOW_EPC_SHARE`] of the best
/// such offer's, each with that offer as the replacement.
pub fn low_earners(offers: &[OfferEarnings]) -> Vec<Recommendation> {
    let measured: Vec<&OfferEarnings> = offers.iter().filter(|o| o.clicks >= MIN_CLICKS).collect();
    let Some(best) = measured
        .iter()
        .max_by(|a, b| a.epc_cents().total_cmp(&b.epc_cents()))
    else {
        return Vec::new();
    };
    if best.epc_cents() <= 0.0 {
        return Vec::new();
    }
    measured
        .iter()
        .filter(|offer| offer.offer_id != best.offer_id)
        .filter(|offer| offer.epc_cents() < best.epc_cents() * LOW_EPC_SHARE)
        .map(|offer| Recommendation {
            offer_id: offer.offer_id.clone(),
            name: offer.name.clone(),
            clicks: offer.clicks,
            epc_cents: offer.epc_cents(),
            replacement_id: best.offer_id.clone(),
            replacement_name: best.name.clone(),
            replacement_epc_cents: best.epc_cents(),
        })
        .collect()
}

/// The recommendations of every niche in `niches`.
pub async fn recommend(
    services: &Services,
    niches: &BTreeSet<String>,
) -> Result<Vec<Recommendation>, KindError> {
    let db = &services.db;
    let since = now() - Duration::days(CLICK_WINDOW_DAYS);
    let mut all = Vec::new();
    for niche in niches {
        let offers = Offer::active_for_niche(db, niche)
            .await
            .map_err(store("reading the niche's offers"))?;
        let ids: Vec<String> = offers.iter().map(|o| o.id.clone()).collect();
        let clicks: HashMap<String, i64> = Click::counts_by_offer_since(db, &ids, since)
            .await
            .map_err(store("counting clicks"))?
            .into_iter()
            .collect();
        let earned: HashMap<(String, String), i64> =
            Conversion::earnings_by_offer_since(db, &ids, since)
                .await
                .map_err(store("summing sales"))?
                .into_iter()
                .map(|(offer, currency, _, cents)| ((offer, currency), cents))
                .collect();
        let earnings: Vec<OfferEarnings> = offers
            .iter()
            .map(|offer| {
                let currency = offer.currency.as_deref().unwrap_or(DEFAULT_CURRENCY);
                OfferEarnings {
                    offer_id: offer.id.clone(),
                    name: offer.name.clone(),
                    clicks: clicks.get(&offer.id).copied().unwrap_or(0),
                    commission_cents: earned
                        .get(&(offer.id.clone(), currency.to_owned()))
                        .copied()
                        .unwrap_or(0),
                }
            })
            .collect();
        all.extend(low_earners(&earnings));
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(id: &str, clicks: i64, commission_cents: i64) -> OfferEarnings {
        OfferEarnings {
            offer_id: id.into(),
            name: format!("Offer {id}"),
            clicks,
            commission_cents,
        }
    }

    #[test]
    fn clearly_weaker_offers_get_the_best_as_replacement() {
        let offers = [
            offer("best", 100, 5_000), // 50 cents per click
            offer("fine", 100, 3_000), // 30: above half of the best
            offer("weak", 200, 2_000), // 10
            offer("new", 5, 0),        // too few clicks to judge
        ];
        let found = low_earners(&offers);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].offer_id, "weak");
        assert_eq!(found[0].replacement_id, "best");
        assert_eq!(
            (found[0].epc_cents, found[0].replacement_epc_cents),
            (10.0, 50.0)
        );
    }

    #[test]
    fn nothing_is_recommended_without_earnings_or_enough_clicks() {
        assert!(low_earners(&[offer("a", 100, 0), offer("b", 100, 0)]).is_empty());
        assert!(low_earners(&[offer("a", 10, 900), offer("b", 10, 0)]).is_empty());
        assert!(low_earners(&[]).is_empty());
    }
}
