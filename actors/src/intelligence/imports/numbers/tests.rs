//! Counts, difficulties and flags as keyword tools and feeds write them.

use super::*;

#[test]
fn counts_accept_grouping_suffixes_and_ranges() {
    let cases = [
        ("1200", 1200),
        (" 1,200 ", 1200),
        ("1.200", 1200),
        ("1 200 000", 1_200_000),
        ("0", 0),
        ("10K", 10_000),
        ("1.5k", 1_500),
        ("2,5M", 2_500_000),
        ("1K – 10K", 1_000),
        ("100 - 1K", 100),
        ("0-10", 0),
    ];
    for (cell, expected) in cases {
        assert_eq!(parse_count(cell), Ok(expected), "{cell}");
    }
}

#[test]
fn bad_counts_say_why() {
    assert_eq!(parse_count(""), Err(ValueError::Missing));
    assert_eq!(parse_count("  "), Err(ValueError::Missing));
    assert_eq!(
        parse_count("-5"),
        Err(ValueError::Negative("-5".to_owned()))
    );
    for bad in ["abc", "1.5", "12,34", "K", "1x", "1,2,3"] {
        assert_eq!(
            parse_count(bad),
            Err(ValueError::NotACount(bad.to_owned())),
            "{bad}"
        );
    }
    assert_eq!(
        parse_count("99999999999999999999"),
        Err(ValueError::TooLarge("99999999999999999999".to_owned()))
    );
}

#[test]
fn difficulties_are_0_to_100_and_may_be_missing() {
    assert_eq!(parse_difficulty("45"), Ok(Some(45)));
    assert_eq!(parse_difficulty("45%"), Ok(Some(45)));
    assert_eq!(parse_difficulty("45.6"), Ok(Some(46)));
    assert_eq!(parse_difficulty("0"), Ok(Some(0)));
    assert_eq!(parse_difficulty("100"), Ok(Some(100)));
    assert_eq!(parse_difficulty(""), Ok(None));
    assert_eq!(parse_difficulty("n/a"), Ok(None));
    assert_eq!(
        parse_difficulty("101"),
        Err(ValueError::AboveHundred("101".to_owned()))
    );
    assert_eq!(
        parse_difficulty("100.5"),
        Err(ValueError::AboveHundred("100.5".to_owned()))
    );
    assert_eq!(
        parse_difficulty("-3"),
        Err(ValueError::Negative("-3".to_owned()))
    );
    assert_eq!(
        parse_difficulty("hard"),
        Err(ValueError::NotADifficulty("hard".to_owned()))
    );
}

#[test]
fn flags_read_common_spellings() {
    assert_eq!(parse_flag("1"), Ok(Some(true)));
    assert_eq!(parse_flag("Yes"), Ok(Some(true)));
    assert_eq!(parse_flag("false"), Ok(Some(false)));
    assert_eq!(parse_flag(" 0 "), Ok(Some(false)));
    assert_eq!(parse_flag(""), Ok(None));
    assert_eq!(
        parse_flag("maybe"),
        Err(ValueError::NotAFlag("maybe".to_owned()))
    );
}

#[test]
fn missing_markers() {
    for cell in ["", " ", "-", "n/a", "N/A", "--"] {
        assert!(is_missing(cell), "{cell:?}");
    }
    assert!(!is_missing("0"));
}
