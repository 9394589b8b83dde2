//! hreflang values: an ISO 639-1 language, optionally a script and an ISO 3166-1 region
//! (`de`, `de-AT`, `zh-Hant-TW`), or `x-default`.

/// ISO 639-1 codes.
const LANGUAGES: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Whether `code` is a valid hreflang value (case-insensitive, `_` is not a separator).
pub(crate) fn is_valid(code: &str) -> bool {
    if code.eq_ignore_ascii_case("x-default") {
        return true;
    }
    let mut parts = code.split('-');
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    if !LANGUAGES.contains(&language.as_str()) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    let (script, region) = match rest.as_slice() {
        [] => (None, None),
        [one] if one.len() == 4 => (Some(*one), None),
        [one] => (None, Some(*one)),
        [script, region] => (Some(*script), Some(*region)),
        _ => return false,
    };
    let script_ok =
        script.is_none_or(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()));
    // A region is two letters (ISO 3166-1) or three digits (UN M.49, such as 419).
    let region_ok = region.is_none_or(|r| {
        (r.len() == 2
            && r.bytes().all(|b| b.is_ascii_alphabetic())
            && !r.eq_ignore_ascii_case("uk"))
            || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
    });
    script_ok && region_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_codes_pass() {
        for code in [
            "de",
            "en-GB",
            "de-at",
            "x-default",
            "zh-Hant-TW",
            "es-419",
            "EN",
        ] {
            assert!(is_valid(code), "{code}");
        }
    }

    #[test]
    fn invalid_codes_fail() {
        // "en-UK" is the classic mistake: the region code of the United Kingdom is GB.
        for code in [
            "",
            "english",
            "en_US",
            "xx",
            "en-UK",
            "de-DEU",
            "en-GB-x-y",
            "eng",
        ] {
            assert!(!is_valid(code), "{code}");
        }
    }
}
