//! The niche score of `market_scan`, a pure function of a niche's figures and the weights:
//!
//! ```text
//! demand      = Σ monthly searches of the niche's keywords
//! commission  = mean over the niche's products of price × commission rate   (EUR per sale)
//! epc         = mean over the niche's products of their programme's EPC      (EUR per click)
//! competition = mean keyword difficulty / 100, unknown difficulty counted as 50, floor 0.01
//! raw         = demand^w_demand × commission^w_commission × epc^w_epc ÷ competition^w_competition
//! score       = 100 × raw / the highest raw of the scan                     (0–100, 2 decimals)
//! ```
//!
//! Each weight is an exponent (default 1, range 0–3): 0 leaves a factor out, 2 makes the
//! ranking twice as sensitive to it. A niche without products earns nothing, so it scores 0.

use serde::{Deserialize, Serialize};

/// Difficulty assumed for a keyword whose export had none: the middle of the scale.
pub const UNKNOWN_DIFFICULTY: f64 = 50.0;
/// Competition never reaches 0, which would make any demand infinitely attractive.
const MIN_COMPETITION: f64 = 0.01;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    pub demand: f64,
    pub commission: f64,
    pub epc: f64,
    pub competition: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            demand: 1.0,
            commission: 1.0,
            epc: 1.0,
            competition: 1.0,
        }
    }
}

impl Weights {
    pub const MAX: f64 = 3.0;

    pub fn named(&self) -> [(&'static str, f64); 4] {
        [
            ("demand", self.demand),
            ("commission", self.commission),
            ("epc", self.epc),
            ("competition", self.competition),
        ]
    }
}

/// What the score is computed from, per niche.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Factors {
    /// Monthly searches.
    pub demand: f64,
    /// EUR per sale.
    pub commission_eur: f64,
    /// EUR per click.
    pub epc_eur: f64,
    /// 0.01–1.
    pub competition: f64,
}

/// The mean difficulty of `difficulties` as a share (unknown ones at 50), at least 0.01.
pub fn competition(difficulties: impl IntoIterator<Item = Option<i64>>) -> f64 {
    let (mut sum, mut n) = (0.0, 0u32);
    for difficulty in difficulties {
        sum += difficulty.map_or(UNKNOWN_DIFFICULTY, |d| d.clamp(0, 100) as f64);
        n += 1;
    }
    let mean = if n == 0 {
        UNKNOWN_DIFFICULTY
    } else {
        sum / f64::from(n)
    };
    (mean / 100.0).max(MIN_COMPETITION)
}

/// The unnormalised score; 0 when there is no demand, commission or EPC to speak of.
pub fn raw_score(factors: &Factors, weights: &Weights) -> f64 {
    let Factors {
        demand,
        commission_eur,
        epc_eur,
        competition,
    } = *factors;
    let raw = demand.max(0.0).powf(weights.demand)
        * commission_eur.max(0.0).powf(weights.commission)
        * epc_eur.max(0.0).powf(weights.epc)
        / competition.max(MIN_COMPETITION).powf(weights.competition);
    if raw.is_finite() { raw } else { 0.0 }
}

/// `raw` scaled so the best of `all` is 100, rounded to two decimals.
pub fn normalise(raw: f64, best: f64) -> f64 {
    if best <= 0.0 {
        return 0.0;
    }
    (100.0 * raw / best * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factors(demand: f64, commission_eur: f64, epc_eur: f64, competition: f64) -> Factors {
        Factors {
            demand,
            commission_eur,
            epc_eur,
            competition,
        }
    }

    #[test]
    fn the_score_is_demand_times_commission_times_epc_over_competition() {
        let w = Weights::default();
        let raw = raw_score(&factors(1000.0, 5.0, 0.2, 0.5), &w);
        assert!((raw - 1000.0 * 5.0 * 0.2 / 0.5).abs() < 1e-9);
        // Harder keywords, same money: lower score.
        assert!(raw_score(&factors(1000.0, 5.0, 0.2, 0.9), &w) < raw);
        // No products means no commission, and no score.
        assert_eq!(raw_score(&factors(1000.0, 0.0, 0.2, 0.5), &w), 0.0);
    }

    #[test]
    fn a_zero_weight_leaves_its_factor_out() {
        let w = Weights {
            competition: 0.0,
            ..Weights::default()
        };
        let easy = raw_score(&factors(10.0, 1.0, 1.0, 0.1), &w);
        let hard = raw_score(&factors(10.0, 1.0, 1.0, 1.0), &w);
        assert_eq!(easy, hard);
    }

    #[test]
    fn competition_counts_unknown_difficulty_as_fifty_and_never_reaches_zero() {
        assert_eq!(competition([Some(20), None]), 0.35);
        assert_eq!(competition([Some(0)]), 0.01);
        assert_eq!(competition(std::iter::empty()), 0.5);
        assert_eq!(normalise(5.0, 10.0), 50.0);
        assert_eq!(normalise(5.0, 0.0), 0.0);
    }
}
