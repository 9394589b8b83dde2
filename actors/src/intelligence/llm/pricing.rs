//! What a call costs, in integer micro-EUR: prices per million tokens, converted from the
//! configuration's EUR once, and a conservative default for providers with no price.

use serde::{Deserialize, Serialize};

use super::settings::{ProviderKind, ProviderSettings};
use super::types::Usage;

const MICROS_PER_EUR: f64 = 1_000_000.0;
const TOKENS_PER_PRICE_UNIT: u128 = 1_000_000;

/// Prices in micro-EUR per million tokens (1 EUR / Mtok = 1_000_000).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    pub input_micro_eur_per_million: u64,
    pub output_micro_eur_per_million: u64,
}

impl Price {
    /// Free: the offline provider.
    pub const ZERO: Price = Price {
        input_micro_eur_per_million: 0,
        output_micro_eur_per_million: 0,
    };

    /// Charged for a provider with no configured price: deliberately above any listed model,
    /// so an unpriced provider is never treated as free.
    pub const CONSERVATIVE_DEFAULT: Price = Price {
        input_micro_eur_per_million: 30_000_000,
        output_micro_eur_per_million: 60_000_000,
    };

    /// Converts configured EUR per million tokens (negative or NaN count as 0).
    pub fn from_eur(input_eur_per_million: f64, output_eur_per_million: f64) -> Price {
        Price {
            input_micro_eur_per_million: eur_to_micros(input_eur_per_million),
            output_micro_eur_per_million: eur_to_micros(output_eur_per_million),
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Price::ZERO
    }
}

fn eur_to_micros(eur: f64) -> u64 {
    let micros = (eur * MICROS_PER_EUR).round();
    if micros.is_finite() && micros > 0.0 {
        // Saturating float-to-int conversion: absurd prices clamp at u64::MAX.
        micros as u64
    } else {
        0
    }
}

/// A provider's price and whether it is the conservative default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceQuote {
    pub price: Price,
    pub priced_by_default: bool,
}

impl PriceQuote {
    /// The configured price; `fallback` when a non-local provider has none.
    pub fn for_settings(settings: &ProviderSettings, fallback: Price) -> PriceQuote {
        let configured = Price::from_eur(
            settings.eur_per_million_input_tokens,
            settings.eur_per_million_output_tokens,
        );
        match settings.kind {
            ProviderKind::Local => PriceQuote {
                price: Price::ZERO,
                priced_by_default: false,
            },
            _ if configured.is_zero() => PriceQuote {
                price: fallback,
                priced_by_default: true,
            },
            _ => PriceQuote {
                price: configured,
                priced_by_default: false,
            },
        }
    }
}

/// The cost of `usage` at `price` in micro-EUR, rounded up so fractions are never lost.
pub fn cost_micros(usage: Usage, price: Price) -> u64 {
    let input = u128::from(usage.input_tokens) * u128::from(price.input_micro_eur_per_million);
    let output = u128::from(usage.output_tokens) * u128::from(price.output_micro_eur_per_million);
    let micros = (input + output).div_ceil(TOKENS_PER_PRICE_UNIT);
    u64::try_from(micros).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(input_tokens: u64, output_tokens: u64) -> Usage {
        Usage {
            input_tokens,
            output_tokens,
        }
    }

    #[test]
    fn eur_prices_convert_once_to_micros() {
        let price = Price::from_eur(0.15, 0.60);
        assert_eq!(price.input_micro_eur_per_million, 150_000);
        assert_eq!(price.output_micro_eur_per_million, 600_000);
        assert_eq!(Price::from_eur(-1.0, f64::NAN), Price::ZERO);
    }

    #[test]
    fn cost_is_exact_for_whole_millions_and_rounds_fractions_up() {
        let price = Price::from_eur(0.15, 0.60);
        assert_eq!(cost_micros(usage(1_000_000, 1_000_000), price), 750_000);
        // 1000 * 0.15 + 500 * 0.60 = 150 + 300 micro-EUR.
        assert_eq!(cost_micros(usage(1000, 500), price), 450);
        // 1 token at 0.15 EUR/Mtok is 0.15 micro-EUR: charged as 1.
        assert_eq!(cost_micros(usage(1, 0), price), 1);
        assert_eq!(cost_micros(usage(0, 0), price), 0);
    }

    #[test]
    fn unpriced_providers_get_the_default_and_a_flag_but_local_is_free() {
        let mut settings = ProviderSettings::new(ProviderKind::Anthropic);
        let quote = PriceQuote::for_settings(&settings, Price::CONSERVATIVE_DEFAULT);
        assert_eq!(quote.price, Price::CONSERVATIVE_DEFAULT);
        assert!(quote.priced_by_default);
        assert_eq!(cost_micros(usage(1000, 1000), quote.price), 90_000);

        settings.eur_per_million_output_tokens = 15.0;
        let quote = PriceQuote::for_settings(&settings, Price::CONSERVATIVE_DEFAULT);
        assert!(!quote.priced_by_default);
        assert_eq!(quote.price.output_micro_eur_per_million, 15_000_000);

        let local = ProviderSettings::new(ProviderKind::Local);
        let quote = PriceQuote::for_settings(&local, Price::CONSERVATIVE_DEFAULT);
        assert_eq!(quote.price, Price::ZERO);
        assert!(!quote.priced_by_default);
    }
}
