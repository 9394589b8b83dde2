//! Splitting text into lowercase words and into sentences, the same way for every other NLP utility.

/// Abbreviations (lowercase, without their final period) whose period does not end a sentence.
/// "etc." and "usw." are left out on purpose: they end sentences more often than not.
const ABBREVIATIONS: [&str; 36] = [
    "a.m", "al", "approx", "bzw", "ca", "cf", "d.h", "dipl", "dr", "e.g", "evtl", "fig", "ggf",
    "i.e", "inkl", "jr", "mr", "mrs", "ms", "nr", "o.ä", "p.m", "prof", "s.o", "sog", "sr", "st",
    "str", "u.a", "u.ä", "u.s", "usf", "vgl", "vs", "z.b", "zzgl",
];

const COMBINING_DIAERESIS: char = '\u{308}';

/// The words of `text`, lowercased: runs of Unicode letters and digits. An apostrophe between two
/// word characters stays inside the word ("don't", "geht's"); umlauts and ß are kept, and a
/// decomposed umlaut (u + U+0308) is composed so it matches the stop-word lists and stemmers.
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if c == COMBINING_DIAERESIS && !current.is_empty() {
            compose_umlaut(&mut current);
        } else if is_apostrophe(c)
            && !current.is_empty()
            && chars.peek().is_some_and(|next| next.is_alphanumeric())
        {
            current.push('\'');
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn compose_umlaut(word: &mut String) {
    let composed = match word.chars().last() {
        Some('a') => 'ä',
        Some('o') => 'ö',
        Some('u') => 'ü',
        _ => return,
    };
    word.pop();
    word.push(composed);
}

/// The sentences of `text`, trimmed, in order. A sentence ends at `.`, `!`, `?` or `…` (or a run of
/// them, with closing quotes or brackets) followed by whitespace or the end of the text. A period
/// does not end a sentence after a known abbreviation ("z.B.", "e.g.", "Dr."), after a single
/// letter (an initial), or when the next word starts with a lowercase letter.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if !is_terminator(c) {
            continue;
        }
        let mut end = index + c.len_utf8();
        let mut only_period = c == '.';
        while let Some(&(next_index, next)) = chars.peek() {
            if is_terminator(next) || is_closing(next) {
                only_period &= next != '!' && next != '?' && next != '…';
                end = next_index + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let rest = &text[end..];
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        if only_period && (after_abbreviation(&text[start..index]) || continues_lowercase(rest)) {
            continue;
        }
        push_sentence(&mut sentences, &text[start..end]);
        start = end;
    }
    push_sentence(&mut sentences, &text[start..]);
    sentences
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{2019}' | '\u{201d}' | '\u{201c}' | '»' | '«' | ')' | ']'
    )
}

fn after_abbreviation(before_period: &str) -> bool {
    let token = before_period
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let mut letters = token.chars();
    let single_letter =
        matches!((letters.next(), letters.next()), (Some(c), None) if c.is_alphabetic());
    single_letter || ABBREVIATIONS.contains(&token.as_str())
}

fn continues_lowercase(rest: &str) -> bool {
    rest.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

fn push_sentence<'a>(sentences: &mut Vec<&'a str>, candidate: &'a str) {
    let trimmed = candidate.trim();
    if trimmed.chars().any(char::is_alphanumeric) {
        sentences.push(trimmed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercase_letter_and_digit_runs() {
        assert_eq!(
            words("Hello, World! 3 Dogs—and 42cats."),
            ["hello", "world", "3", "dogs", "and", "42cats"]
        );
    }

    #[test]
    fn german_letters_survive_and_decomposed_umlauts_are_composed() {
        assert_eq!(words("Größe ÄRGER straße"), ["größe", "ärger", "straße"]);
        assert_eq!(words("fu\u{308}r Mu\u{308}nchen"), ["für", "münchen"]);
    }

    #[test]
    fn inner_apostrophes_stay_but_quotes_do_not() {
        assert_eq!(
            words("'Don't' say it’s ‘fine’"),
            ["don't", "say", "it's", "fine"]
        );
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = "Dr. Smith likes tea, e.g. green tea. Er mag z.B. Kaffee. Is it? Yes!";
        assert_eq!(
            sentences(text),
            [
                "Dr. Smith likes tea, e.g. green tea.",
                "Er mag z.B. Kaffee.",
                "Is it?",
                "Yes!"
            ]
        );
    }

    #[test]
    fn decimals_initials_and_lowercase_continuations_stay_in_one_sentence() {
        let text = "It costs 3.50 euros. J. R. Tolkien wrote books. It ends etc. and then more";
        assert_eq!(
            sentences(text),
            [
                "It costs 3.50 euros.",
                "J. R. Tolkien wrote books.",
                "It ends etc. and then more"
            ]
        );
    }

    #[test]
    fn runs_of_terminators_and_closing_quotes_end_one_sentence() {
        assert_eq!(
            sentences("He said \"Stop!\" Then?! Nothing... Done"),
            ["He said \"Stop!\"", "Then?!", "Nothing...", "Done"]
        );
        assert!(sentences("  ... !! ").is_empty());
    }
}
