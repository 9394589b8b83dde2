//! Decodes the HTML character references an audit is likely to meet, so `M&uuml;sli` matches
//! the keyword "Müsli". Unknown references are left as written.

/// Named references common in English and German pages. Non-breaking and other special spaces
/// become plain spaces, since they only matter for layout.
const NAMED: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("ensp", " "),
    ("emsp", " "),
    ("thinsp", " "),
    ("shy", ""),
    ("auml", "ä"),
    ("ouml", "ö"),
    ("uuml", "ü"),
    ("Auml", "Ä"),
    ("Ouml", "Ö"),
    ("Uuml", "Ü"),
    ("szlig", "ß"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("agrave", "à"),
    ("ccedil", "ç"),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("sbquo", "‚"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("bdquo", "„"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("euro", "€"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("middot", "·"),
    ("times", "×"),
];

/// Longest reference we look for, `&` and `;` excluded (`&#x10FFFF;`, `&thinsp;`).
const MAX_REFERENCE_CHARS: usize = 10;

pub(crate) fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let reference = after
            .char_indices()
            .take(MAX_REFERENCE_CHARS + 1)
            .find(|&(_, c)| c == ';')
            .and_then(|(semi, _)| Some((resolve(&after[..semi])?, semi)));
        match reference {
            Some((decoded, semi)) => {
                out.push_str(&decoded);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn resolve(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return match code {
            0xA0 => Some(" ".to_owned()),
            _ => char::from_u32(code)
                .filter(|c| *c != '\0')
                .map(String::from),
        };
    }
    NAMED
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| (*value).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_and_numeric_references_decode() {
        assert_eq!(decode("M&uuml;sli &amp; Co"), "Müsli & Co");
        assert_eq!(decode("&#252;&#xFC;&#XfC;"), "üüü");
        assert_eq!(decode("a&nbsp;b&#160;c"), "a b c");
    }

    #[test]
    fn unknown_or_broken_references_stay() {
        assert_eq!(
            decode("AT&T & &bogus; &#xZZ; &#0; &"),
            "AT&T & &bogus; &#xZZ; &#0; &"
        );
        assert_eq!(decode("&#99999999999;"), "&#99999999999;");
        assert_eq!(decode("&ü;&"), "&ü;&");
    }
}
