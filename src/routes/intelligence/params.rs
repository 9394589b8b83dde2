//! Query parameters the intelligence routes share, parsed once into domain types.

use crate::error::ApiError;

/// An optional integer parameter within `range`, `default` when absent.
pub fn bounded(
    field: &str,
    text: Option<&str>,
    range: std::ops::RangeInclusive<u64>,
    default: u64,
) -> Result<u64, ApiError> {
    let Some(text) = text else {
        return Ok(default);
    };
    text.parse::<u64>()
        .ok()
        .filter(|value| range.contains(value))
        .ok_or_else(|| {
            ApiError::field(
                field,
                format!(
                    "must be an integer from {} to {}",
                    range.start(),
                    range.end()
                ),
            )
        })
}

/// An optional parameter parsed with `FromStr`, naming the field when it does not parse.
pub fn parsed<T>(field: &str, text: Option<&str>) -> Result<Option<T>, ApiError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.map(|text| {
        text.parse::<T>()
            .map_err(|error| ApiError::field(field, error.to_string()))
    })
    .transpose()
}
