//! Amounts and currency codes as keyword tools and product feeds write them.

use super::*;

fn cents(text: &str) -> u64 {
    parse_amount(text).unwrap().cents
}

#[test]
fn decimal_points_and_commas_both_work() {
    assert_eq!(cents("1.23"), 123);
    assert_eq!(cents("1,23"), 123);
    assert_eq!(cents("0.5"), 50);
    assert_eq!(cents(",5"), 50);
    assert_eq!(cents("12"), 1200);
    assert_eq!(cents("0"), 0);
    assert_eq!(cents(" 7. "), 700);
}

#[test]
fn symbols_and_codes_name_the_currency() {
    let dollars = parse_amount("$1.23").unwrap();
    assert_eq!(
        (dollars.cents, dollars.currency),
        (123, Some(CurrencyCode::USD))
    );
    let euros = parse_amount("€1,23").unwrap();
    assert_eq!(
        (euros.cents, euros.currency),
        (123, Some(CurrencyCode::EUR))
    );
    assert_eq!(
        parse_amount("1,23 €").unwrap().currency,
        Some(CurrencyCode::EUR)
    );
    assert_eq!(parse_amount("EUR 4.50").unwrap().cents, 450);
    assert_eq!(
        parse_amount("4.50 gbp").unwrap().currency,
        Some(CurrencyCode::GBP)
    );
    assert_eq!(parse_amount("4.50").unwrap().currency, None);
    assert!(matches!(
        parse_amount("$4.50 EUR"),
        Err(MoneyError::TwoCurrencies(_))
    ));
}

#[test]
fn thousands_separators_are_told_from_decimal_ones() {
    assert_eq!(cents("1.234,56"), 123_456);
    assert_eq!(cents("1,234.56"), 123_456);
    assert_eq!(cents("1,234"), 123_400);
    assert_eq!(cents("1.234.567"), 123_456_700);
    assert_eq!(cents("1 234,50"), 123_450);
    assert_eq!(cents("1'234.50"), 123_450);
    // A leading zero group or a fourth digit means it was a decimal separator after all.
    assert_eq!(cents("0,123"), 12);
    assert_eq!(cents("1234.5"), 123_450);
}

#[test]
fn extra_fraction_digits_round_half_up() {
    assert_eq!(cents("0.125"), 13);
    assert_eq!(cents("0.124"), 12);
    assert_eq!(cents("2.9999"), 300);
}

#[test]
fn bad_amounts_are_errors() {
    assert!(matches!(
        parse_amount("-1.23"),
        Err(MoneyError::Negative(_))
    ));
    assert!(matches!(
        parse_amount("€-1,23"),
        Err(MoneyError::Negative(_))
    ));
    for bad in [
        "", "abc", "1.2.3", "1,23,4", "1.2,3", "12a", "$", "1e5", ".",
    ] {
        assert!(
            matches!(parse_amount(bad), Err(MoneyError::NotAnAmount(_))),
            "{bad}"
        );
    }
    assert!(matches!(
        parse_amount("99999999999999999999"),
        Err(MoneyError::TooLarge(_))
    ));
}

#[test]
fn currency_codes_are_three_letters_or_a_known_symbol() {
    assert_eq!("eur".parse::<CurrencyCode>().unwrap(), CurrencyCode::EUR);
    assert_eq!(" USD ".parse::<CurrencyCode>().unwrap().as_str(), "USD");
    assert_eq!("€".parse::<CurrencyCode>().unwrap(), CurrencyCode::EUR);
    assert_eq!("CHF".parse::<CurrencyCode>().unwrap().to_string(), "CHF");
    for bad in ["", "EU", "EURO", "E1R", "¥", "€€"] {
        assert!(bad.parse::<CurrencyCode>().is_err(), "{bad}");
    }
    let json = serde_json::to_string(&CurrencyCode::EUR).unwrap();
    assert_eq!(json, "\"EUR\"");
    assert_eq!(
        serde_json::from_str::<CurrencyCode>(&json).unwrap(),
        CurrencyCode::EUR
    );
    assert!(serde_json::from_str::<CurrencyCode>("\"EURO\"").is_err());
}
