//! Counts, scores and flags in imported files, written the ways keyword tools and feeds write them.

/// Why a cell is not the number or flag its column needs; shown to the user with line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("missing")]
    Missing,
    #[error("negative: `{0}`")]
    Negative(String),
    #[error("not a whole number: `{0}`")]
    NotACount(String),
    #[error("too large: `{0}`")]
    TooLarge(String),
    #[error("not a difficulty from 0 to 100: `{0}`")]
    NotADifficulty(String),
    #[error("above 100: `{0}`")]
    AboveHundred(String),
    #[error("not yes or no: `{0}`")]
    NotAFlag(String),
}

/// Cells tools write for "no value": empty, a dash, n/a.
pub fn is_missing(cell: &str) -> bool {
    matches!(
        cell.trim().to_ascii_lowercase().as_str(),
        "" | "-" | "--" | "n/a" | "na" | "null" | "none"
    )
}

/// A search volume or other count: "1200", "1,200", "1.200", "1 200", "1.5K", "2M". A range such
/// as Keyword Planner's "1K – 10K" (shown to accounts without ad spend) counts as its lower bound,
/// the one figure the tool vouches for.
pub fn parse_count(cell: &str) -> Result<u64, ValueError> {
    let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(ValueError::Missing);
    }
    if compact.starts_with('-') {
        return Err(ValueError::Negative(cell.trim().to_owned()));
    }
    let lower_bound = compact.split(['–', '—', '-']).next().unwrap_or_default();
    let (number, multiplier) = match lower_bound.char_indices().last() {
        Some((at, 'k' | 'K')) => (&lower_bound[..at], 1_000),
        Some((at, 'm' | 'M')) => (&lower_bound[..at], 1_000_000),
        _ => (lower_bound, 1),
    };
    let not_a_count = || ValueError::NotACount(cell.trim().to_owned());
    if multiplier > 1 {
        return scaled(number, multiplier).ok_or_else(not_a_count);
    }
    whole_number(number)
        .ok_or_else(not_a_count)?
        .ok_or_else(|| ValueError::TooLarge(cell.trim().to_owned()))
}

/// Digits grouped in threes by `,` or `.` (or not at all); the outer `None` means malformed, the
/// inner one too large for a `u64`.
fn whole_number(text: &str) -> Option<Option<u64>> {
    let mut groups = text.split([',', '.']);
    let first = groups.next()?;
    let well_formed = !first.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && groups.all(|group| group.len() == 3);
    if !well_formed {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    Some(digits.parse().ok())
}

/// "1.5" × 1000 without floating point: whole part and up to the multiplier's precision of fraction.
fn scaled(number: &str, multiplier: u64) -> Option<u64> {
    let (whole, fraction) = number.split_once(['.', ',']).unwrap_or((number, ""));
    if whole.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut value = whole.parse::<u64>().ok()?.checked_mul(multiplier)?;
    let mut place = multiplier;
    for digit in fraction.bytes() {
        place /= 10;
        value = value.checked_add(u64::from(digit - b'0') * place)?;
    }
    Some(value)
}

/// A keyword difficulty from 0 to 100 ("45", "45%", "45.6" rounds to 46); `None` when missing.
pub fn parse_difficulty(cell: &str) -> Result<Option<u8>, ValueError> {
    if is_missing(cell) {
        return Ok(None);
    }
    let trimmed = cell.trim();
    let number = trimmed.trim_end_matches('%').trim_end();
    if number.starts_with('-') {
        return Err(ValueError::Negative(trimmed.to_owned()));
    }
    let not_a_difficulty = || ValueError::NotADifficulty(trimmed.to_owned());
    let (whole, fraction) = number.split_once(['.', ',']).unwrap_or((number, ""));
    if whole.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(not_a_difficulty());
    }
    let whole: u64 = whole
        .parse()
        .map_err(|_| ValueError::AboveHundred(trimmed.to_owned()))?;
    let rounded = whole + u64::from(fraction.bytes().next().is_some_and(|d| d >= b'5'));
    match u8::try_from(rounded) {
        Ok(value) if value <= 100 => Ok(Some(value)),
        _ => Err(ValueError::AboveHundred(trimmed.to_owned())),
    }
}

/// A yes/no flag ("1", "0", "yes", "no", "true", "false", "y", "n"); `None` when missing.
pub fn parse_flag(cell: &str) -> Result<Option<bool>, ValueError> {
    if cell.trim().is_empty() {
        return Ok(None);
    }
    match cell.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "y" | "true" => Ok(Some(true)),
        "0" | "no" | "n" | "false" => Ok(Some(false)),
        _ => Err(ValueError::NotAFlag(cell.trim().to_owned())),
    }
}

#[cfg(test)]
mod tests;
