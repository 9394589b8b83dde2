//! Keyword exports of each tool, good and bad rows, and their line numbers.

use std::io::Cursor;

use super::*;

fn read(
    bytes: Vec<u8>,
    options: KeywordOptions,
) -> (KeywordFormat, Vec<Result<KeywordRow, RowError>>) {
    let reader = KeywordReader::new(Cursor::new(bytes), options).unwrap();
    let format = reader.format();
    let rows = reader.map(|item| item.unwrap()).collect();
    (format, rows)
}

fn good_rows(bytes: Vec<u8>, options: KeywordOptions) -> (KeywordFormat, Vec<KeywordRow>) {
    let (format, rows) = read(bytes, options);
    (format, rows.into_iter().map(Result::unwrap).collect())
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    std::iter::once(0xfeff)
        .chain(text.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect()
}

fn month(year: u16, month: u8) -> YearMonth {
    YearMonth::new(year, month).unwrap()
}

const SEMRUSH: &str = "\u{feff}Keyword,Intent,Volume,Trend,Keyword Difficulty,CPC (USD),Competitive Density,SERP Features\n\
running shoes,commercial,74000,\"0.67,0.67,0.82,1.00,0.82,0.67,0.67,0.67,0.82,0.82,0.67,0.67\",89,1.23,1.00,\"Sitelinks, Reviews\"\n\
trail running shoes,commercial,27100,\"1,1,1,1,1,1,1,1,1,1,1,1\",67,0.95,0.98,\n\
shoe glue,informational,480,,,,,\n";

#[test]
fn semrush_export_with_relative_trend() {
    let options = KeywordOptions {
        trend_end: Some(month(2025, 6)),
    };
    let (format, rows) = good_rows(SEMRUSH.as_bytes().to_vec(), options);
    assert_eq!(format, KeywordFormat::Semrush);
    assert_eq!(rows.len(), 3);
    let first = &rows[0];
    assert_eq!(first.keyword, "running shoes");
    assert_eq!(first.volume, 74_000);
    assert_eq!(
        (first.cpc_cents, first.cpc_currency),
        (Some(123), Some(CurrencyCode::USD))
    );
    assert_eq!(first.difficulty, Some(89));
    assert_eq!(first.trend.len(), 12);
    assert_eq!(first.trend[0].0, month(2024, 7));
    assert_eq!(first.trend[11].0, month(2025, 6));
    // The peak month (1.00) of a series summing to 8.97 over 12 months averaging 74000.
    assert_eq!(
        first.trend[3],
        (month(2024, 10), (12.0f64 * 74_000.0 / 8.97).round() as u64)
    );
    assert!(rows[1].trend.iter().all(|&(_, volume)| volume == 27_100));
    let glue = &rows[2];
    assert_eq!((glue.cpc_cents, glue.difficulty), (None, None));
    assert!(glue.trend.is_empty());
}

#[test]
fn semrush_trend_without_an_end_month_is_checked_but_not_dated() {
    let (_, rows) = good_rows(SEMRUSH.as_bytes().to_vec(), KeywordOptions::default());
    assert!(rows.iter().all(|row| row.trend.is_empty()));
    let bad = "Keyword,Volume,Trend\nshoes,10,\"0.5,abc\"\n";
    let (_, rows) = read(bad.as_bytes().to_vec(), KeywordOptions::default());
    let error = rows[0].as_ref().unwrap_err();
    assert_eq!((error.line, error.field.as_deref()), (2, Some("Trend")));
}

#[test]
fn ahrefs_utf16_tsv_export() {
    let text = "#\tKeyword\tCountry\tKD\tVolume\tCPC\tCPS\tParent Keyword\n\
                1\tlaufschuhe damen\tde\t34\t12000\t0.80\t1.2\tlaufschuhe\n\
                2\twanderschuhe größe 44\tde\t\t5,400\t\t\twanderschuhe\n";
    let (format, rows) = good_rows(utf16le_with_bom(text), KeywordOptions::default());
    assert_eq!(format, KeywordFormat::Ahrefs);
    assert_eq!(rows[0].keyword, "laufschuhe damen");
    assert_eq!(
        (rows[0].volume, rows[0].cpc_cents, rows[0].difficulty),
        (12_000, Some(80), Some(34))
    );
    assert_eq!(rows[1].keyword, "wanderschuhe größe 44");
    assert_eq!(
        (rows[1].volume, rows[1].cpc_cents, rows[1].difficulty),
        (5_400, None, None)
    );
}

#[test]
fn keyword_planner_utf16_tsv_with_title_lines_and_monthly_columns() {
    let text = "Keyword Stats 2025-01-15 at 10_05_23\n\
                All locations\n\
                Keyword\tCurrency\tAvg. monthly searches\tThree month change\tCompetition\tTop of page bid (low range)\tTop of page bid (high range)\tSearches: Nov 2024\tSearches: Dec 2024\n\
                running shoes\tEUR\t110000\t0%\tHigh\t0,45\t1,87\t90500\t135000\n\
                cheap shoes\tEUR\t1K – 10K\t\tLow\t\t\t\t\n";
    let (format, rows) = good_rows(utf16le_with_bom(text), KeywordOptions::default());
    assert_eq!(format, KeywordFormat::KeywordPlanner);
    let running = &rows[0];
    assert_eq!(running.volume, 110_000);
    assert_eq!(
        (running.cpc_cents, running.cpc_currency),
        (Some(187), Some(CurrencyCode::EUR))
    );
    assert_eq!(
        running.trend,
        [(month(2024, 11), 90_500), (month(2024, 12), 135_000)]
    );
    let cheap = &rows[1];
    assert_eq!((cheap.volume, cheap.cpc_cents), (1_000, None));
    assert_eq!(cheap.cpc_currency, Some(CurrencyCode::EUR));
    assert!(cheap.trend.is_empty());
}

#[test]
fn plain_files_with_semicolons_and_german_decimals() {
    let text =
        "keyword;volume;cpc;difficulty\r\nSchuhe  kaufen ;1.200;€1,23;45%\r\nschuhe;90;;\r\n";
    let (format, rows) = good_rows(text.as_bytes().to_vec(), KeywordOptions::default());
    assert_eq!(format, KeywordFormat::Plain);
    assert_eq!(rows[0].keyword, "Schuhe kaufen");
    assert_eq!((rows[0].volume, rows[0].cpc_cents), (1_200, Some(123)));
    assert_eq!(
        (rows[0].cpc_currency, rows[0].difficulty),
        (Some(CurrencyCode::EUR), Some(45))
    );
    assert_eq!((rows[1].volume, rows[1].cpc_cents), (90, None));
}

#[test]
fn bad_rows_name_their_line_and_column_and_reading_goes_on() {
    let text = "keyword,volume,cpc,difficulty\n\
                good one,10,1.00,5\n\
                ,10,,\n\
                neg,-5,,\n\
                nan,abc,,\n\
                hard,10,,101\n\
                price,10,1.2.3,\n\
                \n\
                last,20,,\n\
                \"multi\nline\",5,,\n\
                after,,,\n\
                dollars,5,$1.00 EUR,\n";
    let (_, rows) = read(text.as_bytes().to_vec(), KeywordOptions::default());
    let outcome: Vec<Result<&str, (u64, Option<&str>)>> = rows
        .iter()
        .map(|row| match row {
            Ok(row) => Ok(row.keyword.as_str()),
            Err(error) => Err((error.line, error.field.as_deref())),
        })
        .collect();
    assert_eq!(
        outcome,
        [
            Ok("good one"),
            Err((3, Some("keyword"))),
            Err((4, Some("volume"))),
            Err((5, Some("volume"))),
            Err((6, Some("difficulty"))),
            Err((7, Some("cpc"))),
            Ok("last"),
            Ok("multi line"),
            Err((12, Some("volume"))),
            Err((13, Some("cpc"))),
        ]
    );
    let messages: Vec<String> = rows
        .iter()
        .filter_map(|row| row.as_ref().err())
        .map(ToString::to_string)
        .collect();
    assert_eq!(messages[0], "line 3, keyword: empty keyword");
    assert_eq!(messages[1], "line 4, volume: negative: `-5`");
    assert_eq!(messages[3], "line 6, difficulty: above 100: `101`");
}

#[test]
fn invalid_utf8_spoils_only_its_row() {
    let mut bytes = b"keyword,volume\nok,1\n".to_vec();
    bytes.extend(b"bad\xff,2\nfine,3\n");
    let (_, rows) = read(bytes, KeywordOptions::default());
    assert_eq!(rows.len(), 3);
    let error = rows[1].as_ref().unwrap_err();
    assert_eq!((error.line, error.field.as_deref()), (3, Some("keyword")));
    assert_eq!(rows[2].as_ref().unwrap().keyword, "fine");
}

#[test]
fn a_currency_column_that_is_not_a_currency_is_a_row_error() {
    let text =
        "Keyword,Currency,Avg. monthly searches,Top of page bid (high range)\nshoes,EURO,10,1.00\n";
    let (_, rows) = read(text.as_bytes().to_vec(), KeywordOptions::default());
    let error = rows[0].as_ref().unwrap_err();
    assert_eq!(error.field.as_deref(), Some("Currency"));
}

#[test]
fn unrecognised_or_empty_files_are_one_fatal_error() {
    let header = KeywordReader::new(
        Cursor::new(b"foo,bar\n1,2\n".to_vec()),
        KeywordOptions::default(),
    );
    match header {
        Err(ImportError::Header { first_line, .. }) => assert_eq!(first_line, "foo,bar"),
        _ => panic!("expected a header error"),
    }
    let empty = KeywordReader::new(Cursor::new(b" \n\n".to_vec()), KeywordOptions::default());
    assert!(matches!(empty, Err(ImportError::Empty)));
}

#[test]
fn keys_are_language_and_normalised_keyword() {
    let text = "keyword,volume\nRunning  Shoes,1\nrunning shoes,2\n";
    let (_, rows) = good_rows(text.as_bytes().to_vec(), KeywordOptions::default());
    assert_eq!(
        rows[0].key(Language::En).as_str(),
        "keyword:en:running shoes"
    );
    assert_eq!(rows[0].key(Language::En), rows[1].key(Language::En));
    assert_ne!(rows[0].key(Language::En), rows[0].key(Language::De));
}
