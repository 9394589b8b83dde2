//! Syllable counting by vowel groups, the estimate readability formulas are built on.

use super::Language;

/// The syllables of one lowercase word; at least 1 for any non-empty word (a number or an
/// acronym without vowels still takes time to read), 0 for an empty string.
pub fn count(word: &str, language: Language) -> usize {
    if word.is_empty() {
        return 0;
    }
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let counted = match language {
        Language::En => english(&letters),
        Language::De => german(&letters),
    };
    counted.max(1)
}

/// Groups of a, e, i, o, u, y; a final silent e ("make") does not count, except after a
/// consonant in "-le" ("table") or right after another vowel ("free").
fn english(letters: &[char]) -> usize {
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut groups = 0;
    let mut previous_vowel = false;
    for &c in letters {
        let vowel = is_vowel(c);
        if vowel && !previous_vowel {
            groups += 1;
        }
        previous_vowel = vowel;
    }
    let silent_e = match letters {
        [.., before_l, 'l', 'e'] => is_vowel(*before_l),
        [.., before, 'e'] => !is_vowel(*before),
        _ => false,
    };
    if silent_e && groups > 1 {
        groups -= 1;
    }
    groups
}

/// Vowels are a, e, i, o, u, ä, ö, ü, y. Inside a run of vowels, a diphthong (ei, ai, ie, au,
/// eu, äu) or a long double vowel (aa, ee, oo) is one syllable and every other vowel its own:
/// "Feuer" is Feu-er, "Theater" The-a-ter. The u of "qu" is a consonant.
fn german(letters: &[char]) -> usize {
    let is_vowel = |index: usize, c: char| {
        matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'ä' | 'ö' | 'ü' | 'y')
            && !(c == 'u' && index > 0 && letters[index - 1] == 'q')
    };
    let mut syllables = 0;
    let mut index = 0;
    while index < letters.len() {
        if !is_vowel(index, letters[index]) {
            index += 1;
            continue;
        }
        syllables += 1;
        let pair = letters
            .get(index + 1)
            .filter(|&&next| is_vowel(index + 1, next));
        let one_sound = pair.is_some_and(|&next| {
            matches!(
                (letters[index], next),
                ('e', 'i')
                    | ('a', 'i')
                    | ('i', 'e')
                    | ('a', 'u')
                    | ('e', 'u')
                    | ('ä', 'u')
                    | ('a', 'a')
                    | ('e', 'e')
                    | ('o', 'o')
            )
        });
        index += if one_sound { 2 } else { 1 };
    }
    syllables
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_counts(language: Language, cases: &[(&str, usize)]) {
        for &(word, expected) in cases {
            assert_eq!(count(word, language), expected, "{word}");
        }
    }

    #[test]
    fn english_vowel_groups_with_silent_e() {
        assert_counts(
            Language::En,
            &[
                ("cat", 1),
                ("make", 1),
                ("the", 1),
                ("table", 2),
                ("free", 1),
                ("people", 2),
                ("beautiful", 3),
                ("readability", 5),
                ("rhythm", 1),
                ("2025", 1),
            ],
        );
    }

    #[test]
    fn german_diphthongs_and_long_vowels_are_one_syllable() {
        assert_counts(
            Language::De,
            &[
                ("hund", 1),
                ("haus", 1),
                ("feuer", 2),
                ("bäume", 2),
                ("frieden", 2),
                ("theater", 3),
                ("boot", 1),
                ("quelle", 2),
                ("situation", 5),
                ("übermäßig", 4),
                ("typ", 1),
            ],
        );
    }

    #[test]
    fn empty_word_has_no_syllables() {
        assert_eq!(count("", Language::En), 0);
        assert_eq!(count("", Language::De), 0);
    }
}
