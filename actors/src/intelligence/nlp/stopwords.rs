//! Built-in English and German stop words: the function words keyword extraction and density skip.

use super::Language;

/// English stop words, lowercase, sorted by bytes so lookups can binary-search.
pub static EN: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "he's",
    "her",
    "here",
    "here's",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "how's",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "let's",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "mustn't",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "shan't",
    "she",
    "she'd",
    "she'll",
    "she's",
    "should",
    "shouldn't",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "weren't",
    "what",
    "what's",
    "when",
    "when's",
    "where",
    "where's",
    "which",
    "while",
    "who",
    "who's",
    "whom",
    "why",
    "why's",
    "will",
    "with",
    "won't",
    "would",
    "wouldn't",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// German stop words, lowercase with umlauts and ß, sorted by bytes so lookups can binary-search.
pub static DE: &[&str] = &[
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "ander",
    "andere", "anderem", "anderen", "anderer", "anderes", "anderm", "andern", "anderr", "anders",
    "auch", "auf", "aus", "bei", "bin", "bis", "bist", "da", "damit", "dann", "das", "dass",
    "dein", "deine", "deinem", "deinen", "deiner", "deines", "dem", "den", "denn", "der", "derer",
    "des", "dich", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "dir", "doch",
    "dort", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "einig", "einige",
    "einigem", "einigen", "einiger", "einiges", "einmal", "er", "es", "etwas", "euch", "euer",
    "eure", "eurem", "euren", "eurer", "eures", "für", "gegen", "gewesen", "hab", "habe", "haben",
    "hat", "hatte", "hatten", "hier", "hin", "hinter", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre",
    "ihrem", "ihren", "ihrer", "ihres", "im", "in", "indem", "ins", "ist", "jede", "jedem",
    "jeden", "jeder", "jedes", "jene", "jenem", "jenen", "jener", "jenes", "jetzt", "kann", "kein",
    "keine", "keinem", "keinen", "keiner", "keines", "können", "könnte", "machen", "man", "manche",
    "manchem", "manchen", "mancher", "manches", "mein", "meine", "meinem", "meinen", "meiner",
    "meines", "mich", "mir", "mit", "muss", "musste", "nach", "nicht", "nichts", "noch", "nun",
    "nur", "ob", "oder", "ohne", "sehr", "sein", "seine", "seinem", "seinen", "seiner", "seines",
    "selbst", "sich", "sie", "sind", "so", "solche", "solchem", "solchen", "solcher", "solches",
    "soll", "sollte", "sondern", "sonst", "um", "und", "uns", "unsere", "unserem", "unseren",
    "unserer", "unseres", "unter", "viel", "vom", "von", "vor", "war", "waren", "warst", "was",
    "weg", "weil", "weiter", "welche", "welchem", "welchen", "welcher", "welches", "wenn", "werde",
    "werden", "wie", "wieder", "will", "wir", "wird", "wirst", "wo", "wollen", "wollte", "während",
    "würde", "würden", "zu", "zum", "zur", "zwar", "zwischen", "über",
];

/// The stop words of `language`, sorted.
pub fn stop_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::En => EN,
        Language::De => DE,
    }
}

/// Whether the lowercase `word` is a stop word in `language`.
pub fn is_stop_word(word: &str, language: Language) -> bool {
    stop_words(language).binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_without_duplicates_so_binary_search_works() {
        for language in Language::ALL {
            let list = stop_words(language);
            assert!(list.len() >= 150, "{language}: {}", list.len());
            assert!(list.windows(2).all(|pair| pair[0] < pair[1]), "{language}");
        }
    }

    #[test]
    fn function_words_are_stop_words_and_content_words_are_not() {
        for word in ["the", "and", "don't", "yourselves", "a"] {
            assert!(is_stop_word(word, Language::En), "{word}");
        }
        for word in ["der", "über", "würden", "zwischen", "aber"] {
            assert!(is_stop_word(word, Language::De), "{word}");
        }
        assert!(!is_stop_word("shoes", Language::En));
        assert!(!is_stop_word("laufschuhe", Language::De));
        assert!(!is_stop_word("der", Language::En));
        assert!(
            !is_stop_word("The", Language::En),
            "lookups expect lowercase"
        );
    }
}
