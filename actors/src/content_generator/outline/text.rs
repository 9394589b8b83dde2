//! Text shaping for outlines: title case, word-boundary truncation and URL slugs.

/// English words left lower case inside a title (AP/Chicago style short words).
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of", "on", "or", "per", "the",
    "to", "vs", "via", "with",
];

/// Collapses runs of whitespace to one space and trims the ends.
pub(crate) fn normalize_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Upper-cases the first character only (German: nouns are already capitalised by the writer).
pub(crate) fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// English title case. Words the writer already capitalised somewhere (`iPhone`, `GoPro`)
/// are kept as written.
pub(crate) fn title_case(text: &str) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, word)| {
            if word.chars().any(char::is_uppercase) || (i > 0 && SMALL_WORDS.contains(&word)) {
                word.to_owned()
            } else {
                capitalize_first(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Shortens `text` to at most `max_chars` characters, cutting at a word boundary when one is
/// reasonably close and marking the cut with `…`.
pub(crate) fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    if max_chars == 0 {
        return String::new();
    }
    let kept: String = text.chars().take(max_chars - 1).collect();
    // Only back up to a space if that keeps at least half the room; one long word is cut.
    let cut = match kept.rfind(' ') {
        Some(space) if kept[..space].chars().count() >= max_chars / 2 => &kept[..space],
        _ => kept.as_str(),
    };
    let trimmed = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–(".contains(c));
    format!("{trimmed}…")
}

/// A lower-case ASCII slug of at most `max_chars`, cut between words: German umlauts and
/// common Latin accents are transliterated, anything else that is not a letter or digit
/// separates words.
pub(crate) fn slugify(text: &str, max_chars: usize) -> String {
    let mut slug = String::new();
    let mut pending_dash = false;
    let mut buf = [0u8; 4];
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = if c.is_ascii_alphanumeric() {
            c.encode_utf8(&mut buf)
        } else {
            transliterate(c)
        };
        if mapped.is_empty() {
            pending_dash = !slug.is_empty();
            continue;
        }
        if pending_dash {
            slug.push('-');
            pending_dash = false;
        }
        slug.push_str(mapped);
    }
    // The slug is ASCII, so byte offsets are character offsets.
    if slug.len() <= max_chars {
        return slug;
    }
    let head = &slug[..max_chars];
    match head.rfind('-') {
        Some(dash) if dash > 0 => head[..dash].to_owned(),
        _ => head.to_owned(),
    }
}

/// The ASCII spelling of a lower-case non-ASCII letter, or `""` for a separator.
fn transliterate(c: char) -> &'static str {
    match c {
        'ä' | 'æ' => "ae",
        'ö' | 'œ' => "oe",
        'ü' => "ue",
        'ß' => "ss",
        'à' | 'á' | 'â' | 'ã' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
        'ù' | 'ú' | 'û' => "u",
        'ý' | 'ÿ' => "y",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_keeps_small_words_and_brand_spelling() {
        assert_eq!(
            title_case("best shoes for the gym"),
            "Best Shoes for the Gym"
        );
        assert_eq!(title_case("the iPhone case"), "The iPhone Case");
        assert_eq!(capitalize_first("ärger"), "Ärger");
    }

    #[test]
    fn truncation_cuts_at_words_and_marks_the_cut() {
        assert_eq!(truncate_words("short", 10), "short");
        assert_eq!(truncate_words("one two three four", 12), "one two…");
        assert_eq!(truncate_words("abcdefghijklmnop", 8), "abcdefg…");
        assert_eq!(truncate_words("Größe Übergröße", 8), "Größe…");
        assert!(truncate_words(&"wörter ".repeat(40), 60).chars().count() <= 60);
    }

    #[test]
    fn slugs_are_ascii_and_transliterated() {
        assert_eq!(
            slugify("Größte Übersicht: Kühlschränke!", 80),
            "groesste-uebersicht-kuehlschraenke"
        );
        assert_eq!(slugify("  Café -- Crème  ", 80), "cafe-creme");
        assert_eq!(slugify("日本", 80), "");
        let long = slugify(&"word ".repeat(40), 80);
        assert!(long.len() <= 80 && !long.ends_with('-'), "{long}");
        assert_eq!(slugify("abcdefghij", 4), "abcd");
    }
}
