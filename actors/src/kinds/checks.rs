//! Validation rules several kinds share: bounded text and absolute http(s) URLs.

use url::Url;

use super::field_error::FieldError;

/// Longest URL we accept; browsers and affiliate networks start failing well past this.
pub(crate) const MAX_URL_CHARS: usize = 2048;

/// Text that must hold something other than whitespace and at most `max_chars` characters.
pub(crate) fn non_blank_text(field: &str, value: &str, max_chars: usize) -> Option<FieldError> {
    if value.trim().is_empty() {
        return Some(FieldError::new(field, "must not be empty"));
    }
    max_chars_error(field, value, max_chars)
}

/// At most `max_chars` characters (Unicode scalar values, not bytes).
pub(crate) fn max_chars_error(field: &str, value: &str, max_chars: usize) -> Option<FieldError> {
    let chars = value.chars().count();
    (chars > max_chars).then(|| {
        FieldError::new(
            field,
            format!("must be at most {max_chars} characters (got {chars})"),
        )
    })
}

/// An absolute `http` or `https` URL with a host and no embedded credentials.
pub(crate) fn http_url(field: &str, value: &str) -> Result<Url, FieldError> {
    if let Some(err) = non_blank_text(field, value, MAX_URL_CHARS) {
        return Err(err);
    }
    let url = Url::parse(value.trim())
        .map_err(|err| FieldError::new(field, format!("must be an absolute URL ({err})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FieldError::new(field, "must use http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FieldError::new(field, "must have a host"));
    }
    // Credentials in a URL end up in logs, pages and referrers.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(
            field,
            "must not contain a user name or password",
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_long_text_is_rejected() {
        assert!(non_blank_text("f", "  \n", 10).is_some());
        assert!(non_blank_text("f", "ok", 10).is_none());
        assert!(non_blank_text("f", "äöüäöüäöüä", 10).is_none());
        assert!(non_blank_text("f", "äöüäöüäöüäö", 10).is_some());
    }

    #[test]
    fn only_absolute_http_urls_pass() {
        assert!(http_url("u", "https://example.com/a?b=c").is_ok());
        assert!(http_url("u", "http://example.com").is_ok());
        for bad in [
            "",
            "/relative",
            "example.com",
            "javascript:alert(1)",
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "mailto:a@example.com",
        ] {
            assert!(http_url("u", bad).is_err(), "{bad} should be rejected");
        }
    }
}
